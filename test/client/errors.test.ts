import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEspoClientFor } from '../../src/client/create-client.js';
import { classifyErrorBody, EspoApiError, espoError, unwrap } from '../../src/client/errors.js';
import { startEchoServer, type EchoServer } from './support/echo-server.js';
import type { LoosePaths } from './support/loose-paths.js';

const VALIDATION_BODY = { messageTranslation: { label: 'validationFailure', scope: null, data: { field: 'name', type: 'required' } } };

describe('classifyErrorBody', () => {
  it('validation failure', () => {
    expect(classifyErrorBody(400, VALIDATION_BODY)).toEqual({ kind: 'validationFailure', field: 'name', type: 'required' });
  });

  it('duplicates (409 with an array of records)', () => {
    const records = [{ id: 'a', name: 'Acme' }];
    expect(classifyErrorBody(409, records)).toEqual({ kind: 'duplicate', records });
    expect(classifyErrorBody(400, records)).toEqual({ kind: 'unknown' });
  });

  it('modified (409 with values and versionNumber)', () => {
    expect(classifyErrorBody(409, { values: { name: 'New' }, versionNumber: 4 })).toEqual({
      kind: 'modified',
      values: { name: 'New' },
      versionNumber: 4,
    });
  });

  it('other messageTranslation bodies keep label, scope and data', () => {
    expect(
      classifyErrorBody(409, { messageTranslation: { label: 'cannotModifyLockedRecord', scope: null, data: { field: 'Name' } } }),
    ).toEqual({ kind: 'messageTranslation', label: 'cannotModifyLockedRecord', scope: null, data: { field: 'Name' } });
    expect(classifyErrorBody(403, { messageTranslation: { label: 'noAccessToRecord', scope: 'Account' } })).toEqual({
      kind: 'messageTranslation',
      label: 'noAccessToRecord',
      scope: 'Account',
      data: null,
    });
  });

  it('no body and unknown shapes', () => {
    expect(classifyErrorBody(404, undefined)).toEqual({ kind: 'none' });
    expect(classifyErrorBody(500, { message: 'x' })).toEqual({ kind: 'unknown' });
  });
});

describe('espoError and unwrap through openapi-fetch', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(() => server.close());
  const client = () => createEspoClientFor<LoosePaths>({ baseUrl: server.origin, auth: { apiKey: 'test-key' } });

  it('is undefined on success, and unwrap returns the data', async () => {
    const result = await client().GET('/Account');
    expect(espoError(result)).toBeUndefined();
    expect(unwrap(result)).toEqual({ total: 0, list: [] });
  });

  it('reports status and X-Status-Reason for a body-less error with Content-Length: 0', async () => {
    server.reply = (_request, response) => {
      response.writeHead(404, { 'X-Status-Reason': 'Record x does not exist.', 'Content-Length': '0' }).end();
    };
    const result = await client().GET('/Account/{id}', { params: { path: { id: 'x' } } });
    expect(result.error).toBeUndefined(); // openapi-fetch alone says nothing here
    expect(espoError(result)).toMatchObject({
      status: 404,
      reason: 'Record x does not exist.',
      body: undefined,
      text: undefined,
      detail: { kind: 'none' },
    });
  });

  it('treats a chunked empty body (openapi-fetch error "") as no body', async () => {
    server.reply = (_request, response) => {
      response.writeHead(403, { 'X-Status-Reason': '' });
      response.write('');
      response.end();
    };
    const result = await client().GET('/Account');
    expect(result.error).toBe('');
    expect(espoError(result)).toMatchObject({ status: 403, reason: '', body: undefined, text: undefined, detail: { kind: 'none' } });
  });

  it('has reason null when the header is absent (401)', async () => {
    server.reply = (_request, response) => {
      response.writeHead(401, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': '0' }).end();
    };
    expect(espoError(await client().GET('/Account'))).toMatchObject({ status: 401, reason: null, detail: { kind: 'none' } });
  });

  it('exposes a JSON body typed and classified', async () => {
    server.reply = (_request, response) => {
      response.writeHead(400, {
        'Content-Type': 'application/json',
        'X-Status-Reason': 'Field validation failure; entityType: Account, field: name, type: required.',
      });
      response.end(JSON.stringify(VALIDATION_BODY));
    };
    const failure = espoError(await client().POST('/Account', { body: {} }));
    expect(failure).toMatchObject({
      status: 400,
      reason: 'Field validation failure; entityType: Account, field: name, type: required.',
      body: VALIDATION_BODY,
      detail: { kind: 'validationFailure', field: 'name', type: 'required' },
    });
  });

  it('keeps a non-JSON body as text', async () => {
    server.reply = (_request, response) => {
      response.writeHead(500, { 'Content-Type': 'text/html;charset=UTF-8' }).end('<html>Slim Application Error</html>');
    };
    expect(espoError(await client().GET('/Account'))).toMatchObject({
      status: 500,
      body: undefined,
      text: '<html>Slim Application Error</html>',
      detail: { kind: 'unknown' },
    });
  });

  it('unwrap throws an EspoApiError carrying the same fields', async () => {
    server.reply = (_request, response) => {
      response.writeHead(409, { 'Content-Type': 'application/json', 'X-Status-Reason': 'duplicate' });
      response.end('[{"id":"a1","name":"Acme"}]');
    };
    const result = await client().POST('/Account', { body: { name: 'Acme' } });
    const thrown = (() => {
      try {
        unwrap(result);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(EspoApiError);
    expect(thrown).toMatchObject({
      name: 'EspoApiError',
      status: 409,
      reason: 'duplicate',
      detail: { kind: 'duplicate', records: [{ id: 'a1', name: 'Acme' }] },
    });
    expect(String(thrown)).toMatch(/^EspoApiError: EspoCRM answered 409: duplicate \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/Account\)$/);
  });
});

describe('classifyErrorBody: near misses are not classified as the shape they resemble', () => {
  it('409 duplicates need every item to be an object', () => {
    expect(classifyErrorBody(409, [{ id: 'a' }, 'b'])).toEqual({ kind: 'unknown' });
    expect(classifyErrorBody(409, [1, 2])).toEqual({ kind: 'unknown' });
    expect(classifyErrorBody(409, [[{ id: 'a' }]])).toEqual({ kind: 'unknown' });
  });

  it('409 modified needs the 409, object values and a numeric versionNumber', () => {
    expect(classifyErrorBody(400, { values: { name: 'x' }, versionNumber: 2 })).toEqual({ kind: 'unknown' });
    expect(classifyErrorBody(409, { values: { name: 'x' }, versionNumber: '2' })).toEqual({ kind: 'unknown' });
    expect(classifyErrorBody(409, { values: ['x'], versionNumber: 2 })).toEqual({ kind: 'unknown' });
    expect(classifyErrorBody(409, { versionNumber: 2 })).toEqual({ kind: 'unknown' });
  });

  it('messageTranslation needs a string label; validationFailure needs string field and type', () => {
    expect(classifyErrorBody(403, { messageTranslation: { label: 5 } })).toEqual({ kind: 'unknown' });
    expect(classifyErrorBody(403, { messageTranslation: null })).toEqual({ kind: 'unknown' });
    expect(classifyErrorBody(403, [{ messageTranslation: { label: 'x' } }])).toEqual({ kind: 'unknown' });
    expect(classifyErrorBody(400, { messageTranslation: { label: 'validationFailure', data: null } })).toEqual({ kind: 'messageTranslation', label: 'validationFailure', scope: null, data: null });
    expect(classifyErrorBody(400, { messageTranslation: { label: 'validationFailure', data: { field: 1, type: 'required' } } })).toMatchObject({ kind: 'messageTranslation' });
    expect(classifyErrorBody(400, { messageTranslation: { label: 'validationFailure', data: { field: 'name', type: 1 } } })).toMatchObject({ kind: 'messageTranslation' });
    expect(classifyErrorBody(400, { messageTranslation: { label: 'otherLabel', data: { field: 'name', type: 'required' } } })).toMatchObject({ kind: 'messageTranslation', label: 'otherLabel' });
    expect(classifyErrorBody(403, { messageTranslation: { label: 'x', scope: 5 } })).toMatchObject({ scope: null });
    expect(classifyErrorBody(403, { messageTranslation: { label: 'x', scope: 'Account' } })).toMatchObject({ scope: 'Account' });
  });
});

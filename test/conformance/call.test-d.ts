/** `t.call` names operations of the contract: a misspelt operation ID fails the typecheck. */
import { describe, expectTypeOf, it } from 'vitest';
import type { operations } from '../../generated/openapi.js';
import type { CheckContext, OperationId } from '../../src/conformance/context.js';
import type { Check } from '../../src/conformance/groups/group.js';

describe('CheckContext.call', () => {
  it('takes the operation IDs of generated/openapi.ts and nothing else', () => {
    expectTypeOf<OperationId>().toEqualTypeOf<keyof operations & string>();
    expectTypeOf<'getAccount'>().toExtend<Parameters<CheckContext['call']>[0]>();
    expectTypeOf<'getAccont'>().not.toExtend<Parameters<CheckContext['call']>[0]>();
    const check: Check = {
      id: 'typo',
      title: 'a typo',
      run: async (t) => {
        // @ts-expect-error 'getAccont' is not an operation of the contract
        await t.call('getAccont', { params: { id: 'x' } });
        await t.call('getAccount', { params: { id: 'x' } });
      },
    };
    expectTypeOf(check.run).parameter(1).toEqualTypeOf<undefined>();
  });
});

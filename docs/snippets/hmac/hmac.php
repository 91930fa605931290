<?php
// EspoCRM HMAC request with plain PHP: a signed search in the searchParams JSON form.
$apiRoot = getenv('ESPO_API_ROOT') ?: 'http://127.0.0.1:8080/api/v1';
$apiKey = getenv('ESPO_API_KEY') ?: 'test-key';
$secretKey = getenv('ESPO_SECRET_KEY') ?: 'test-secret';
$name = getenv('ESPO_SEARCH_NAME') ?: 'Acme';

// base64(apiKey . ':' . hex(HMAC-SHA256(secret, METHOD . ' ' . path))); path without /api/v1 and query.
function signature(string $apiKey, string $secretKey, string $method, string $path): string
{
    return base64_encode($apiKey . ':' . hash_hmac('sha256', $method . ' ' . $path, $secretKey));
}

$search = json_encode(['maxSize' => 5, 'where' => [['type' => 'equals', 'attribute' => 'name', 'value' => $name]]]);
$path = '/Account';
$context = stream_context_create(['http' => [
    'method' => 'GET',
    'header' => 'X-Hmac-Authorization: ' . signature($apiKey, $secretKey, 'GET', $path),
    'ignore_errors' => true,
]]);
// (The PHP bracket form works too: http_build_query(['where' => [...]]) instead of searchParams.)
$body = file_get_contents($apiRoot . $path . '?searchParams=' . rawurlencode($search), false, $context);
$status = (int) explode(' ', $http_response_header[0])[1];
$ids = array_map(fn ($item) => $item['id'], json_decode($body, true)['list'] ?? []);
echo $status, ' ', implode(' ', $ids), "\n";

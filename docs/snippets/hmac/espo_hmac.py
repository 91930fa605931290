"""EspoCRM HMAC request with Python's standard library: a signed search in the searchParams JSON form."""
import base64, hashlib, hmac, json, os, urllib.parse, urllib.request

api_root = os.environ.get("ESPO_API_ROOT", "http://127.0.0.1:8080/api/v1")
api_key = os.environ.get("ESPO_API_KEY", "test-key")
secret_key = os.environ.get("ESPO_SECRET_KEY", "test-secret")
name = os.environ.get("ESPO_SEARCH_NAME", "Acme")


def signature(method: str, path: str) -> str:
    """base64(apiKey + ':' + hex(HMAC-SHA256(secret, METHOD + ' ' + path))); path without /api/v1 and query."""
    digest = hmac.new(secret_key.encode(), f"{method} {path}".encode(), hashlib.sha256).hexdigest()
    return base64.b64encode(f"{api_key}:{digest}".encode()).decode()


search = json.dumps({"maxSize": 5, "where": [{"type": "equals", "attribute": "name", "value": name}]})
path = "/Account"
request = urllib.request.Request(
    f"{api_root}{path}?searchParams={urllib.parse.quote(search, safe='')}",
    headers={"X-Hmac-Authorization": signature("GET", path)},
)
with urllib.request.urlopen(request) as response:
    body = json.load(response)
    print(response.status, " ".join(item["id"] for item in body["list"]))

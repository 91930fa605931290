// EspoCRM HMAC request with the JDK alone (java.net.http, javax.crypto): a signed search in the searchParams
// JSON form. Run with `java Hmac.java` (JDK 11+).
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Hmac {
  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** base64(apiKey + ':' + hex(HMAC-SHA256(secret, METHOD + ' ' + path))); path without /api/v1 and query. */
  static String signature(String apiKey, String secretKey, String method, String path) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String digest = HexFormat.of().formatHex(mac.doFinal((method + " " + path).getBytes(StandardCharsets.UTF_8)));
    return Base64.getEncoder().encodeToString((apiKey + ":" + digest).getBytes(StandardCharsets.UTF_8));
  }

  public static void main(String[] args) throws Exception {
    String apiRoot = env("ESPO_API_ROOT", "http://127.0.0.1:8080/api/v1");
    String apiKey = env("ESPO_API_KEY", "test-key");
    String secretKey = env("ESPO_SECRET_KEY", "test-secret");
    String name = env("ESPO_SEARCH_NAME", "Acme").replace("\\", "\\\\").replace("\"", "\\\"");
    String search = "{\"maxSize\":5,\"where\":[{\"type\":\"equals\",\"attribute\":\"name\",\"value\":\"" + name + "\"}]}";
    String path = "/Account";
    // URLEncoder writes spaces as '+', which the server reads as spaces in a query string.
    URI uri = URI.create(apiRoot + path + "?searchParams=" + URLEncoder.encode(search, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("X-Hmac-Authorization", signature(apiKey, secretKey, "GET", path))
        .GET()
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    // A JSON library would parse the list; the ids are enough here.
    StringBuilder ids = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
    while (m.find()) ids.append(ids.length() == 0 ? "" : " ").append(m.group(1));
    System.out.println(response.statusCode() + " " + ids);
  }
}

/** What a snippet needs: where to POST, and the key either in the URL or in a header. */
export interface WebhookTarget {
  /** The trigger URL with `api_key=` in its query. */
  url: string;
  /** The same URL without the key. */
  headerUrl: string;
  /** `Bearer <key>`. */
  authorization: string;
  /** The JSON body: the flow's inputs. */
  body: string;
}

export type SnippetLanguage = 'curl' | 'python' | 'javascript' | 'java' | 'cpp';
/** Each language, and what its snippet needs to run. */
export const SNIPPET_LANGUAGES: Array<{ id: SnippetLanguage; label: string; needs: string }> = [
  { id: 'curl', label: 'cURL', needs: 'curl and a POSIX shell (bash, zsh).' },
  { id: 'python', label: 'Python', needs: 'Python 3 with the requests package (pip install requests).' },
  { id: 'javascript', label: 'JavaScript', needs: 'Node.js 18 or later in an ES module (global fetch, top-level await), or a browser console.' },
  { id: 'java', label: 'Java', needs: 'Java 11 or later (java.net.http); save as StartFlow.java and run java StartFlow.java.' },
  { id: 'cpp', label: 'C++', needs: 'a C++11 compiler linked against libcurl: g++ start_flow.cpp -lcurl (Debian: apt install libcurl4-openssl-dev).' },
];

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
/** A double-quoted literal valid in Python, JavaScript, Java and C++ (JSON string escaping). */
const quoted = (text: string) => JSON.stringify(text);

/** Ready-to-run code starting the flow, with the key in the URL or in the Authorization header. */
export function webhookSnippet(language: SnippetLanguage, target: WebhookTarget, keyInHeader: boolean): string {
  const url = keyInHeader ? target.headerUrl : target.url;
  const auth = keyInHeader ? target.authorization : null;
  switch (language) {
    case 'curl':
      return [
        `curl -X POST ${shellQuote(url)} \\`,
        ...(auth ? [`  -H ${shellQuote(`Authorization: ${auth}`)} \\`] : []),
        `  -H 'Content-Type: application/json' \\`,
        `  -d ${shellQuote(target.body)}`,
      ].join('\n');
    case 'python':
      return [
        'import requests',
        '',
        'response = requests.post(',
        `    ${quoted(url)},`,
        `    headers={"Content-Type": "application/json"${auth ? `, "Authorization": ${quoted(auth)}` : ''}},`,
        `    data=${quoted(target.body)},`,
        ')',
        'print(response.json())',
      ].join('\n');
    case 'javascript':
      return [
        `const response = await fetch(${quoted(url)}, {`,
        '  method: "POST",',
        `  headers: { "Content-Type": "application/json"${auth ? `, Authorization: ${quoted(auth)}` : ''} },`,
        `  body: ${quoted(target.body)},`,
        '});',
        'console.log(await response.json());',
      ].join('\n');
    case 'java':
      return [
        'import java.net.URI;',
        'import java.net.http.HttpClient;',
        'import java.net.http.HttpRequest;',
        'import java.net.http.HttpResponse;',
        '',
        'public class StartFlow {',
        '  public static void main(String[] args) throws Exception {',
        `    HttpRequest request = HttpRequest.newBuilder(URI.create(${quoted(url)}))`,
        '        .header("Content-Type", "application/json")',
        ...(auth ? [`        .header("Authorization", ${quoted(auth)})`] : []),
        `        .POST(HttpRequest.BodyPublishers.ofString(${quoted(target.body)}))`,
        '        .build();',
        '    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());',
        '    System.out.println(response.body());',
        '  }',
        '}',
      ].join('\n');
    case 'cpp':
      return [
        '#include <curl/curl.h>',
        '',
        'int main() {',
        '  CURL *curl = curl_easy_init();',
        '  struct curl_slist *headers = nullptr;',
        '  headers = curl_slist_append(headers, "Content-Type: application/json");',
        ...(auth ? [`  headers = curl_slist_append(headers, ${quoted(`Authorization: ${auth}`)});`] : []),
        `  curl_easy_setopt(curl, CURLOPT_URL, ${quoted(url)});`,
        '  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);',
        `  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, ${quoted(target.body)});`,
        '  CURLcode result = curl_easy_perform(curl);',
        '  curl_slist_free_all(headers);',
        '  curl_easy_cleanup(curl);',
        '  return result == CURLE_OK ? 0 : 1;',
        '}',
      ].join('\n');
  }
}

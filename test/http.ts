export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; contentType: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), contentType: response.headers.get('content-type') };
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export { waitUntil as eventually } from '@ruta/testing';

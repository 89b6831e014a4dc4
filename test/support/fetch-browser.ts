/**
 * Just enough of a browser for protocol tests without Chromium: one cookie jar for the
 * host (cookies ignore ports, as browsers do), redirects followed by hand so every hop can
 * be checked. test/e2e/oidc.test.ts does the same in real Chromium.
 */
export interface Hop {
  url: string;
  status: number;
  location: string | null;
}

export class FetchBrowser {
  readonly jar = new Map<string, string>();
  /** Every request made, in order. */
  readonly hops: Hop[] = [];

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  #store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', this.cookieHeader());
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.#store(res);
    this.hops.push({ url, status: res.status, location: res.headers.get('location') });
    return res;
  }

  /** GET, following redirects; the last response and its URL. */
  async get(url: string, maxHops = 12): Promise<{ url: string; res: Response; body: string }> {
    let current = url;
    for (let i = 0; i < maxHops; i++) {
      const res = await this.request(current);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        current = new URL(location, current).href;
        continue;
      }
      return { url: current, res, body: await res.text() };
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }

  /** Signs in on the account page's endpoint, as the page's script does. */
  async signIn(issuer: string, email: string, password: string): Promise<void> {
    const res = await this.request(`${issuer}/account/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: issuer },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  }
}

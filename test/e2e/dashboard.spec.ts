import { startApi, type Api } from '../helpers/api-client';

describe('GET /dashboard', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api.stop());

  it('serves the page without a token, outside /api/v1; the years come from /api/v1/programme', async () => {
    const response = await api.http.get('/dashboard').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<body>');
    const script = await api.http.get('/dashboard/dashboard.js').expect(200);
    expect(script.text).toContain("read('/api/v1/programme', token)");
    await api.http.get('/api/v1/dashboard').expect(404);
  });

  it('loads only its own script and style files, so the content security policy allows them', async () => {
    const response = await api.http.get('/dashboard').expect(200);
    const page = response.text;
    expect(page.match(/<script\b[^>]*>/g)).toEqual([
      '<script type="module" src="/dashboard/dashboard.js">',
    ]);
    expect(page).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    expect(page).toContain('<link rel="stylesheet" href="/dashboard/dashboard.css" />');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");

    const script = await api.http.get('/dashboard/dashboard.js').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain('sessionStorage.getItem(TOKEN_KEY)');
    const style = await api.http.get('/dashboard/dashboard.css').expect(200);
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    await api.http.get('/dashboard/other.js').expect(404);
  });
});

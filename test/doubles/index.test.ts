import { describe, expect, it } from 'vitest';
import { startAllDoubles } from './index.ts';

describe('startAllDoubles', () => {
  it('starts the three outside systems on their own ports and closes them all', async () => {
    const doubles = await startAllDoubles({ fachverfahrenSeed: { standesamt: [] } });
    const urls = [doubles.payment.url, doubles.postbox.url, doubles.fachverfahren.url];
    expect(new Set(urls).size).toBe(3);
    for (const url of urls) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    }
    await doubles.close();
    for (const url of urls) await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});

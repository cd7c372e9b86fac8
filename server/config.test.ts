import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('parseConfig: PUBLIC_URL', () => {
  it('defaults to localhost on the configured port', () => {
    expect(parseConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('takes an http(s) address and drops trailing slashes', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://service.musterstadt.de/portal/' }).publicUrl).toBe(
      'https://service.musterstadt.de/portal',
    );
  });

  it.each(['service.musterstadt.de', 'ftp://service.musterstadt.de', 'https://service.musterstadt.de/?a=1'])(
    'refuses %s and names the variable',
    (value) => {
      try {
        parseConfig({ PUBLIC_URL: value });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^PUBLIC_URL: http\(s\)-Adresse/)]);
      }
    },
  );
});

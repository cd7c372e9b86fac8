import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorManifestError, connectorProblems, defineConnector } from './connector.ts';

const operation = {
  title: 'Senden',
  input: z.object({ text: z.string() }),
  output: z.object({ ok: z.boolean() }),
  retry: 'safe' as const,
  run: async () => ({ ok: true }),
};

describe('connector manifests', () => {
  it('accepts a complete manifest', () => {
    const manifest = { id: 'beispiel@2', title: 'Beispiel', config: z.object({}), operations: { send: operation } };
    expect(connectorProblems(manifest)).toEqual([]);
    expect(defineConnector(manifest)).toBe(manifest);
  });

  it('rejects ids without a version and lists every problem at once', () => {
    const problems = connectorProblems({
      id: 'beispiel',
      title: ' ',
      config: {},
      secrets: ['ok', ''],
      health: 'ja',
      operations: { 'send now': { ...operation, retry: 'maybe', timeoutMs: 1.5 } },
    });
    expect(problems).toEqual([
      'beispiel: id muss wie „name@1“ aussehen (Kleinbuchstaben, Ziffern, -, dann @Version)',
      'beispiel: title fehlt',
      'beispiel: config muss ein zod-Schema sein',
      'beispiel: secrets muss eine Liste von Namen sein',
      'beispiel: health muss eine Funktion sein',
      'beispiel: operations.send now: ungültiger Operationsname',
      'beispiel: operations.send now.retry muss „safe“ oder „never“ sein',
      'beispiel: operations.send now.timeoutMs muss eine ganze Zahl zwischen 1 und 600000 sein',
    ]);
  });

  it('needs at least one operation, and an object to begin with', () => {
    expect(connectorProblems({ id: 'leer@1', title: 'Leer', config: z.object({}), operations: {} })).toEqual([
      'leer@1: operations muss mindestens eine Operation enthalten',
    ]);
    expect(connectorProblems(null)).toEqual(['ist kein Objekt']);
    expect(connectorProblems([])).toEqual(['ist kein Objekt']);
  });

  it('throws a typed error from defineConnector', () => {
    expect(() =>
      defineConnector({ id: 'Payment@1', title: 'x', config: z.object({}), operations: { send: operation } }),
    ).toThrow(ConnectorManifestError);
  });
});

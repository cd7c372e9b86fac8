import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector } from '../engine/connectors/connector.ts';
import { builtinConnectors, connectorCatalog, operationJsonSchemas } from './index.ts';
import { paymentConnector } from './payment/payment.connector.ts';

describe('builtinConnectors', () => {
  it('lists the five built-in connectors once each', () => {
    const ids = builtinConnectors.map((connector) => connector.id);
    expect(ids).toEqual(['payment@1', 'postbox@1', 'fachverfahren-http@1', 'document-pdf@1', 'email-smtp@1']);
  });

  it('gives every connector and operation a German title', () => {
    for (const connector of builtinConnectors) {
      expect(connector.title).not.toBe('');
      for (const operation of Object.values(connector.operations)) expect(operation.title).not.toBe('');
    }
  });
});

describe('connectorCatalog', () => {
  it('lists the input fields of every operation', () => {
    const catalog = connectorCatalog(builtinConnectors);
    expect(Object.keys(catalog)).toHaveLength(5);
    expect(catalog['payment@1']?.operations).toEqual({
      create: { inputFields: ['amountCents', 'purpose', 'returnUrl'] },
      status: { inputFields: ['paymentId'] },
    });
    expect(catalog['fachverfahren-http@1']?.operations.lookup?.inputFields).toEqual(['register', 'query']);
    expect(catalog['document-pdf@1']?.operations.render?.inputFields).toEqual([
      'template',
      'title',
      'recipient',
      'lines',
      'date',
    ]);
  });

  it('also reads the fields of an input schema that is not a plain object', () => {
    const piped = defineConnector({
      id: 'piped@1',
      title: 'Test',
      config: z.object({}),
      operations: {
        run: {
          title: 'Test',
          input: z.object({ a: z.string(), b: z.number() }).transform((value) => value.a),
          output: z.object({}),
          retry: 'never',
          run: async () => ({}),
        },
      },
    });
    expect(connectorCatalog([piped])['piped@1']?.operations.run?.inputFields).toEqual(['a', 'b']);
  });
});

describe('operationJsonSchemas', () => {
  it('describes input and output of every built-in operation as JSON Schema', () => {
    for (const connector of builtinConnectors) {
      const schemas = operationJsonSchemas(connector);
      expect(Object.keys(schemas)).toEqual(Object.keys(connector.operations));
      for (const schema of Object.values(schemas)) {
        expect(schema.input.type).toBe('object');
        expect(schema.output.type).toBe('object');
      }
    }
  });

  it('marks required fields and keeps title and retry policy', () => {
    const { create } = operationJsonSchemas(paymentConnector);
    expect(create).toMatchObject({ title: 'Zahlung anlegen', retry: 'safe' });
    expect(create?.input.required).toEqual(['amountCents', 'purpose']);
    expect(create?.input.properties?.amountCents).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
    expect(create?.output.required).toEqual(['paymentId', 'payUrl']);
  });
});

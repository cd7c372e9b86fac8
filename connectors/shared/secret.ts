import { ConnectorError } from '../../engine/connectors/connector.ts';

/** Reads a secret the connector cannot work without; a missing one is a configuration fault, not worth a retry. */
export function requireSecret(ctx: { secret(name: string): string | undefined }, name: string): string {
  const value = ctx.secret(name);
  if (value === undefined || value === '') {
    throw new ConnectorError(
      'missing_secret',
      `Das Geheimnis „${name}“ ist für diese Anbindung nicht hinterlegt.`,
      false,
    );
  }
  return value;
}

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts connector secrets at rest with AES-256-GCM. The ciphertext carries the key's id, so a
 * rotated key set (new key first, old keys after) still opens what older keys sealed.
 */
export class SecretBox {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(keys: Buffer[]) {
    if (keys.length === 0 || keys.some((k) => k.length !== 32)) throw new Error('SECRETS_KEY: 32 Byte je Schlüssel');
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 8), key }));
  }

  /** Parses `SECRETS_KEY`: comma-separated keys, base64 or 64 hex characters each; the first one seals. */
  static fromEnv(value: string): SecretBox {
    return new SecretBox(
      value.split(',').map((part) => {
        const v = part.trim();
        return /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
      }),
    );
  }

  seal(plain: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  /** True when `sealed` was sealed with the first (current) key; false means it should be re-sealed. */
  isCurrent(sealed: string): boolean {
    return sealed.split(':')[1] === this.keys[0]!.id;
  }

  open(sealed: string): string {
    const [version, id, iv, tag, body] = sealed.split(':');
    const entry = this.keys.find((k) => k.id === id);
    if (version !== 'v1' || !entry || !iv || !tag || body === undefined)
      throw new Error('secret sealed with an unknown key');
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

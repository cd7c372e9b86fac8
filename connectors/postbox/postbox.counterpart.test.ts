import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PostboxCounterpart, startPostboxCounterpart } from './postbox.counterpart.ts';

let double: PostboxCounterpart;

beforeEach(async () => {
  double = await startPostboxCounterpart({ apiKey: 'pf-key' });
});

afterEach(async () => {
  await double.close();
});

const message = { recipient: 'bundid:1', subject: 'Bescheid', body: 'Guten Tag' };

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${double.url}/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer pf-key', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('postbox counterpart API', () => {
  it('needs the configured API key and an Idempotency-Key', async () => {
    expect((await post(message, { authorization: 'Bearer test-key', 'idempotency-key': 'k1' })).status).toBe(401);
    expect((await post(message)).status).toBe(400);
    expect((await post({ subject: 'ohne Empfänger' }, { 'idempotency-key': 'k1' })).status).toBe(400);
    expect(double.messages).toHaveLength(0);
  });

  it('delivers once per Idempotency-Key and answers 409 when the key comes back with other content', async () => {
    const first = await post(message, { 'idempotency-key': 'k1' });
    const replay = await post(message, { 'idempotency-key': 'k1' });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(await first.json());
    expect((await post({ ...message, body: 'anders' }, { 'idempotency-key': 'k1' })).status).toBe(409);
    expect(double.deliveries('k1')).toBe(1);
    expect(double.requests('k1')).toBe(3);
  });

  it('reports the status of a message', async () => {
    const { messageId } = (await (await post(message, { 'idempotency-key': 'k2' })).json()) as { messageId: string };
    const status = async () =>
      (await fetch(`${double.url}/messages/${messageId}`, { headers: { authorization: 'Bearer pf-key' } })).json();
    expect(await status()).toEqual({ status: 'delivered' });
    double.setStatus(messageId, 'failed');
    expect(await status()).toEqual({ status: 'failed' });
    expect(() => double.setStatus('msg-unbekannt', 'read')).toThrow();
  });
});

describe('postbox counterpart inbox page', () => {
  const pdf = Buffer.from('%PDF-1.7 Bescheid').toString('base64');
  const deliverTo = (recipient: string, key: string, subject: string, body: string) =>
    post(
      {
        recipient,
        subject,
        body,
        attachments: [{ filename: 'bescheid.pdf', contentType: 'application/pdf', contentBase64: pdf }],
      },
      {
        'idempotency-key': key,
      },
    );
  const page = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, html: await response.text(), headers: response.headers };
  };

  it('announces each new delivery once with the secret link of the recipient’s inbox', async () => {
    const notices: { messageId: string; inboxUrl: string }[] = [];
    await double.close();
    double = await startPostboxCounterpart({ apiKey: 'pf-key', onDelivered: (notice) => notices.push(notice) });
    await deliverTo('ABC234', 'k1', 'Zahlung', 'Bitte zahlen');
    await deliverTo('ABC234', 'k1', 'Zahlung', 'Bitte zahlen');
    await deliverTo('ABC234', 'k2', 'Bescheid', 'Anbei');
    expect(notices.map((n) => n.messageId)).toEqual(['msg-000001', 'msg-000002']);
    expect(new Set(notices.map((n) => n.inboxUrl))).toEqual(new Set([double.inboxUrl('ABC234')]));
    expect(double.inboxUrl('ABC234')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/postfach\/ABC234\?zugang=[\w-]{24}$/);
    expect(double.inboxUrl('XYZ999')).toBeUndefined();
  });

  it('lists only the recipient’s messages in an accessible German page without external assets', async () => {
    await deliverTo('ABC234', 'k1', 'Zahlungsaufforderung <Gebühr>', 'Bitte zahlen');
    await deliverTo('DEF567', 'k2', 'Fremde Nachricht', 'Geheim');
    const inbox = await page(double.inboxUrl('ABC234')!);
    expect(inbox.status).toBe(200);
    expect(inbox.html).toContain('<html lang="de">');
    expect(inbox.html).toContain('<h1>Ihr Postfach</h1>');
    expect(inbox.html).toMatch(/<caption>1 Nachricht<\/caption>/);
    expect(inbox.html).toContain('<th scope="col">Betreff</th>');
    expect(inbox.html).toContain('Zahlungsaufforderung &#60;Gebühr&#62;');
    expect(inbox.html).not.toContain('Fremde Nachricht');
    expect(inbox.html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(inbox.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(inbox.headers.get('referrer-policy')).toBe('no-referrer');
    expect(inbox.headers.get('cache-control')).toBe('no-store');
  });

  it('shows nothing without the right link, not even whether the inbox exists', async () => {
    await deliverTo('ABC234', 'k1', 'Bescheid', 'Anbei');
    await deliverTo('DEF567', 'k2', 'Bescheid', 'Anbei');
    const other = new URL(double.inboxUrl('DEF567')!).searchParams.get('zugang');
    const unknown = await page(`${double.url}/postfach/ABC234`);
    for (const url of [
      `${double.url}/postfach/ABC234`,
      `${double.url}/postfach/ABC234?zugang=falsch`,
      `${double.url}/postfach/ABC234?zugang=${other}`,
      `${double.url}/postfach/ABC234/msg-000001?zugang=${other}`,
      `${double.url}/postfach/NIEMAND?zugang=${other}`,
    ]) {
      const answer = await page(url);
      expect(answer.status, url).toBe(404);
      expect(answer.html).toBe(unknown.html);
    }
    expect(double.messages.map((m) => m.status)).toEqual(['delivered', 'delivered']);
  });

  it('opens a message with clickable links and its attachment, and reports it read', async () => {
    const created = await deliverTo(
      'ABC234',
      'k1',
      'Bitte bezahlen Sie',
      'Guten Tag,\n\nbitte zahlen Sie hier: http://127.0.0.1:9/pay/pay-000001\n\n<script>alert(1)</script>',
    );
    const { messageId } = (await created.json()) as { messageId: string };
    const inbox = await page(double.inboxUrl('ABC234')!);
    const link = /href="(\/postfach\/ABC234\/msg-000001\?zugang=[\w-]+)"/.exec(inbox.html)?.[1];
    expect(link).toBeDefined();
    const opened = await page(`${double.url}${link}`);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain('<h1>Bitte bezahlen Sie</h1>');
    expect(opened.html).toContain('<a href="http://127.0.0.1:9/pay/pay-000001">');
    expect(opened.html).toContain('&#60;script&#62;');
    expect(opened.html).not.toContain('<script>');
    expect(opened.html).toContain(`href="data:application/pdf;base64,${pdf}" download="bescheid.pdf"`);
    expect(opened.html).toContain('Zurück zum Postfach');
    const status = await fetch(`${double.url}/messages/${messageId}`, { headers: { authorization: 'Bearer pf-key' } });
    expect(await status.json()).toEqual({ status: 'read' });
    expect((await page(double.inboxUrl('ABC234')!)).html).toContain('<td>gelesen</td>');
  });
});

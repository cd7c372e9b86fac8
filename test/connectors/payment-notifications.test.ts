import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PaymentCounterpart,
  signNotification,
  startPaymentCounterpart,
} from '../../connectors/payment/payment.counterpart.ts';
import { paymentProcedure, type Rig, startRig, TENANT } from './rig.ts';

const PAYMENTS = 1000;
const MAX_DELIVERIES = 5;
const CONCURRENCY = 16;
const SECRET = 'wh-demo-secret';
const OTHER_SECRET = 'wh-other-secret';

/** A small seeded PRNG (mulberry32), so a failing order can be replayed from the printed seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * Payment notifications over HTTP: the provider counterpart posts signed notifications to the engine's webhook
 * route; the payment connector checks them and asks the provider for the status before a case moves on.
 */
describe('payment notifications', () => {
  let rig: Rig;
  let provider: PaymentCounterpart;
  let hook: string;

  beforeAll(async () => {
    provider = await startPaymentCounterpart({ apiKey: 'pay-key', notifyRetryDelaysMs: [300, 600, 1200, 2400, 4800] });
    rig = await startRig();
    hook = `${rig.url}/api/hooks/${TENANT}/payment@1`;
    await rig.configure('payment@1', { baseUrl: provider.url }, { apiKey: 'pay-key', webhookSecret: SECRET });
    // A second tenant with the same provider and a webhook secret of its own.
    const at = rig.clock.now();
    await rig.services.identity.ensureTenant('other', 'Nachbarstadt', 'NW', at);
    await rig.services.connectorConfigs.save(
      'other',
      'payment@1',
      { baseUrl: provider.url },
      { apiKey: 'pay-key', webhookSecret: OTHER_SECRET },
      at,
    );
    await rig.publish(paymentProcedure());
  });
  afterAll(async () => {
    await rig.close();
    await provider.close();
  });

  /** Starts `n` cases and runs their jobs: each waits for its own open payment. */
  async function waitingCases(n: number) {
    const cases = [];
    for (let i = 0; i < n; i++) cases.push(await rig.start('payment-probe', { amountCents: 500 + (i % 7) }));
    await rig.runJobs();
    const withPayment = [];
    for (const c of cases) {
      const { state, vars } = await rig.caseOf(c.id);
      expect(state).toBe('awaitPayment');
      withPayment.push({ ...c, paymentId: vars.paymentId as string });
    }
    return withPayment;
  }

  const post = (url: string, body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', body, headers }).then(async (r) => ({ status: r.status, body: await r.text() }));

  it(`books each of ${PAYMENTS} payments exactly once when every notification arrives 1–${MAX_DELIVERIES} times in random order`, async () => {
    const seed = Date.now() % 100_000;
    const random = prng(seed);
    const cases = await waitingCases(PAYMENTS);
    for (const c of cases) await provider.pay(c.paymentId);
    const deliveries: string[] = [];
    for (const c of cases) {
      const times = 1 + Math.floor(random() * MAX_DELIVERIES);
      for (let i = 0; i < times; i++) deliveries.push(c.paymentId);
    }
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    const answers: { status: number; body: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < deliveries.length; i = next++) {
          answers.push(await provider.notify(deliveries[i]!, hook, SECRET));
        }
      }),
    );
    const fresh = answers.filter((a) => a.status === 200 && JSON.parse(a.body).duplicate === false).length;
    const duplicates = answers.filter((a) => a.status === 200 && JSON.parse(a.body).duplicate === true).length;
    const other = answers.filter((a) => a.status !== 200);

    let booked = 0;
    const problems: string[] = [];
    for (const c of cases) {
      const { state } = await rig.caseOf(c.id);
      const paidSteps = (await rig.historyOf(c.id)).filter((h) => h.event === 'message:payment.paid');
      if (state !== 'paid') problems.push(`${c.id} in ${state}`);
      if (paidSteps.length !== 1) problems.push(`${c.id}: ${paidSteps.length} bookings`);
      else booked += 1;
    }
    console.log(
      `payment notifications (seed ${seed}): payments=${PAYMENTS}, notifications=${deliveries.length}, ` +
        `accepted=${fresh}, duplicatesAcknowledged=${duplicates}, otherAnswers=${other.length}, booked=${booked}, ` +
        `paymentsCreated=${[...provider.effects.values()].reduce((a, b) => a + b, 0)}`,
    );
    expect(other.slice(0, 5)).toEqual([]);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(fresh).toBe(PAYMENTS);
    expect(duplicates).toBe(deliveries.length - PAYMENTS);
    expect(booked).toBe(PAYMENTS);
    expect([...provider.effects.values()].every((count) => count === 1)).toBe(true);
  }, 110_000);

  it('rejects forged notifications and changes nothing', async () => {
    const [target, second] = await waitingCases(2);
    await provider.pay(target!.paymentId);
    await provider.pay(second!.paymentId);
    const before = await rig.caseOf(target!.id);
    const historyBefore = (await rig.historyOf(target!.id)).length;
    const body = JSON.stringify({ paymentId: target!.paymentId });
    const signed = signNotification(body, SECRET, now());
    const forgeries: [string, Promise<{ status: number; body: string }>, number][] = [
      ['bad HMAC', post(hook, body, { ...signed, 'x-signature': 'ab'.repeat(64) }), 401],
      ['body changed after signing', post(hook, JSON.stringify({ paymentId: second!.paymentId }), signed), 401],
      ['timestamp 301 s old', post(hook, body, signNotification(body, SECRET, now() - 301)), 401],
      ['timestamp 301 s ahead', post(hook, body, signNotification(body, SECRET, now() + 301)), 401],
      ['another tenant’s secret', post(hook, body, signNotification(body, OTHER_SECRET, now())), 401],
      [
        'signed for another tenant, sent to its hook',
        post(`${rig.url}/api/hooks/other/payment@1`, body, signNotification(body, OTHER_SECRET, now())),
        404,
      ],
      [
        'unknown transaction',
        post(
          hook,
          JSON.stringify({ paymentId: 'pay-999999' }),
          signNotification('{"paymentId":"pay-999999"}', SECRET, now()),
        ),
        404,
      ],
      ['no signature', post(hook, body, { 'content-type': 'application/json' }), 401],
      ['unknown tenant', post(`${rig.url}/api/hooks/nirgendwo/payment@1`, body, signed), 404],
      ['connector without webhook', post(`${rig.url}/api/hooks/${TENANT}/postbox@1`, body, signed), 404],
    ];
    for (const [what, answer, expected] of forgeries) expect((await answer).status, what).toBe(expected);
    expect(await rig.caseOf(target!.id)).toEqual(before);
    expect((await rig.historyOf(target!.id)).length).toBe(historyBefore);
    expect((await rig.caseOf(second!.id)).state).toBe('awaitPayment');

    const genuine = await provider.notify(target!.paymentId, hook, SECRET);
    expect(genuine.status).toBe(200);
    expect((await rig.caseOf(target!.id)).state).toBe('paid');
  });

  it('changes nothing when the citizen comes back through a crafted return URL', async () => {
    const returnUrl = `${rig.url}/api/status`;
    await rig.publish({ ...paymentProcedure({ returnUrl }), key: 'payment-return' });
    const c = await rig.start('payment-return', { amountCents: 900 });
    await rig.runJobs();
    const before = await rig.caseOf(c.id);
    expect(before.state).toBe('awaitPayment');
    const paymentId = before.vars.paymentId as string;
    expect(provider.payment(paymentId)?.returnUrl).toBe(returnUrl);
    const crafted = [
      `${returnUrl}/${c.trackingCode}?status=paid&paymentId=${paymentId}`,
      `${returnUrl}/${c.trackingCode}?paymentStatus=paid&signature=${'0'.repeat(128)}`,
    ];
    for (const url of crafted) {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect((await res.json()).status).toBe('Zahlung ausstehend');
    }
    expect(await rig.caseOf(c.id)).toEqual(before);
    expect(provider.payment(paymentId)?.status).toBe('open');
  });

  it('keeps the case waiting while the provider cannot confirm the status, and books it on the provider’s repeat', async () => {
    provider.notifyOnChange(hook, SECRET);
    const [c] = await waitingCases(1);
    // The next request the provider gets is the engine's status query while it handles the notification.
    provider.failNext(1, '500');
    await provider.pay(c!.paymentId);
    const first = provider.notifications.at(-1)!;
    expect(first).toMatchObject({ paymentId: c!.paymentId, status: 503 });
    expect((await rig.caseOf(c!.id)).state).toBe('awaitPayment');
    // The provider records a notification's answer only once it has arrived, which is after the engine's commit.
    const answered = () => provider.notifications.filter((n) => n.paymentId === c!.paymentId).map((n) => n.status);
    for (let i = 0; i < 200 && answered().length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await rig.caseOf(c!.id)).state).toBe('paid');
    expect(answered()).toEqual([503, 200]);
    expect((await rig.historyOf(c!.id)).filter((h) => h.event === 'message:payment.paid')).toHaveLength(1);
  });

  it('takes the timeout path when nobody pays within 7 days; a late notification changes nothing', async () => {
    const [c] = await waitingCases(1);
    rig.clock.advance(7 * 24 * 3600_000 + 1000);
    await rig.services.timers.runOnce();
    expect((await rig.caseOf(c!.id)).state).toBe('expired');
    provider.notifyOnChange(`${rig.url}/api/hooks/${TENANT}/payment@1`, SECRET);
    await provider.pay(c!.paymentId);
    expect(provider.notifications.at(-1)).toMatchObject({ paymentId: c!.paymentId, status: 409 });
    expect((await rig.caseOf(c!.id)).state).toBe('expired');
  });
});

import {
  type PaymentCounterpart,
  type PaymentCounterpartOptions,
  startPaymentCounterpart,
} from '../../connectors/payment/payment.counterpart.ts';
import { type PostboxCounterpart, startPostboxCounterpart } from '../../connectors/postbox/postbox.counterpart.ts';
import { type FachverfahrenDouble, type FachverfahrenSeed, startFachverfahrenDouble } from './fachverfahren.double.ts';

/** Options for all counterparts at once; each keeps its own defaults (API key `test-key`). */
export type AllDoublesOptions = {
  payment?: PaymentCounterpartOptions;
  fachverfahrenSeed?: FachverfahrenSeed;
};

/** The three outside systems an end-to-end test talks to, and one `close()` for all. */
export type AllDoubles = {
  payment: PaymentCounterpart;
  postbox: PostboxCounterpart;
  fachverfahren: FachverfahrenDouble;
  close(): Promise<void>;
};

/** Starts the payment, postbox and Fachverfahren counterparts on free ports of 127.0.0.1 for end-to-end tests. */
export async function startAllDoubles(options: AllDoublesOptions = {}): Promise<AllDoubles> {
  const [payment, postbox, fachverfahren] = await Promise.all([
    startPaymentCounterpart(options.payment),
    startPostboxCounterpart(),
    startFachverfahrenDouble({ seed: options.fachverfahrenSeed }),
  ]);
  return {
    payment,
    postbox,
    fachverfahren,
    async close() {
      await Promise.all([payment.close(), postbox.close(), fachverfahren.close()]);
    },
  };
}

export type { PaymentCounterpart, PaymentCounterpartOptions } from '../../connectors/payment/payment.counterpart.ts';
export { signNotification } from '../../connectors/payment/payment.counterpart.ts';
export type { PostboxCounterpart } from '../../connectors/postbox/postbox.counterpart.ts';
export type { FachverfahrenDouble, FachverfahrenSeed } from './fachverfahren.double.ts';

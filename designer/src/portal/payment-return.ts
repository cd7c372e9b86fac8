const KEY = 'verfahrenswerk.zahlung.';

/**
 * Notes, for this browser tab, the pay page the citizen leaves for, so that the status page the provider sends them
 * back to can tell "paid, the case has not heard of it yet" from "not paid yet". Only the pay page's address is kept.
 */
export function rememberPayPage(trackingCode: string, payUrl: string) {
  try {
    sessionStorage.setItem(KEY + trackingCode, payUrl);
  } catch {
    // Without storage the status page simply shows the pay page again instead of "being confirmed".
  }
}

/** True when the citizen went to this very pay page from here and the case still waits for that payment. */
export function returnedFrom(trackingCode: string, payUrl: string | undefined): boolean {
  if (payUrl === undefined) return false;
  try {
    return sessionStorage.getItem(KEY + trackingCode) === payUrl;
  } catch {
    return false;
  }
}

// Exercise 05's checks fail every wrong answer in wrong-variants.ts: forged tokens let through,
// claims believed before the signature, a comparison that is not constant-time, expiry misjudged,
// a deny-list not read.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('05');

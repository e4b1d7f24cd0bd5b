// Exercise 03's checks fail every wrong answer in wrong-variants.ts: pins kept in the lb's memory
// or in a hash, a dead backend still sent its users, everyone on one backend, no cookie, the
// cookie ignored, everyone moved when one backend dies, orphans left without a backend.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('03');

// Exercise 04's checks fail every wrong answer in wrong-variants.ts: carts kept in a module
// variable, a closure, globalThis, a file on the server's disk; writes not awaited; a wrong reply.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('04');

// Exercise 08's checks fail every wrong fix in wrong-variants.ts: the reference solution with one
// piece of state left hidden (sessions, or their id made guessable or counted, or a login that
// answers before the session is written, a cart written in two steps or emptied in two at
// checkout, a rate limiter per server, counted in two steps, kept for 60 ms or counted after the
// cart was changed, a copy of the catalogue with or without a TTL, receipts on the local disk, a
// job that remembers per server, marks after it looked or forgets its mark after a minute), each
// by its symptom in the history.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('08');

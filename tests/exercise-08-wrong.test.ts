// Exercise 08's checks fail every wrong fix in wrong-variants.ts: the reference solution with one
// piece of state left hidden (sessions, or their id made guessable, a cart written in two steps or
// emptied in two at checkout, a rate limiter per server or counted in two steps, a copy of the
// catalogue with or without a TTL, receipts on the local disk, a job that remembers per server or
// marks after it looked), each by its symptom in the history.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('08');

// The timeline of losses: each round gets what it added to the users' totals, nothing from before.
import { expect, it } from 'vitest';
import { addLosses, lossTimeline } from './round-losses';
import { noLosses } from './shopper';

const losses = (forcedLogins: number, lostCartItems: number, unknown = 0) => ({
  ...noLosses(),
  forcedLogins,
  lostCartItems,
  unknown,
});

it('adds up the users’ losses, kind by kind', () => {
  expect(addLosses([losses(1, 2, 3), losses(4, 0, 1), noLosses()])).toEqual(losses(5, 2, 4));
  expect(addLosses([])).toEqual(noLosses());
});

it('gives each round what it added, not what the users had lost before it', () => {
  const timeline = lossTimeline();
  timeline.start(losses(3, 1)); // lost before the rounds: no round's doing
  timeline.record(0, losses(3, 1));
  timeline.record(1, losses(10, 1, 2));
  expect(timeline.record(2, losses(12, 6, 2))).toEqual({ round: 2, ...losses(2, 5) });
  expect(timeline.rounds).toEqual([
    { round: 0, ...losses(0, 0) },
    { round: 1, ...losses(7, 0, 2) },
    { round: 2, ...losses(2, 5) },
  ]);
});

it('refuses totals that fall: another run’s users, or a round recorded twice', () => {
  const timeline = lossTimeline();
  timeline.record(0, losses(4, 0));
  expect(() => timeline.record(1, losses(3, 0))).toThrow('round 1: forcedLogins fell from 4 to 3');
});

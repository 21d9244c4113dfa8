// The shared-state budget: a wait ends at the budget whatever the work does, and an overrun is logged once per outage.
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { SHARED_STATE_BUDGET_MS, StateBudgetExceeded, stateWait, withinBudget } from '../../../lambdas/shared/state-budget';

/** Work that never settles by itself, and a way to fail it later. */
function hung(): { work: Promise<never>; fail: () => void } {
  let fail = () => {};
  const work = new Promise<never>((_resolve, reject) => (fail = () => reject(new Error('late failure'))));
  return { work, fail };
}

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const logger = new Logger({ logLevel: 'SILENT' });
  logger.warn = ((message: unknown) => void lines.push({ level: 'warn', message: String(message) })) as Logger['warn'];
  logger.info = ((message: unknown) => void lines.push({ level: 'info', message: String(message) })) as Logger['info'];
  return { logger, lines };
}

describe('withinBudget', () => {
  it(`defaults to ${SHARED_STATE_BUDGET_MS} ms, a small budget next to any upstream timeout`, () => {
    expect(SHARED_STATE_BUDGET_MS).toBe(200);
  });

  it('WHEN the work hangs THEN it rejects with StateBudgetExceeded, and a later failure of the work is swallowed', async () => {
    const { work, fail } = hung();
    const error = await withinBudget(work, 'the table', 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateBudgetExceeded);
    expect(error).toMatchObject({ code: 'state_budget_exceeded', what: 'the table', budgetMs: 20 });
    fail(); // no unhandled rejection: vitest would fail the run
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('WHEN the work answers in time THEN its value comes back', async () => {
    await expect(withinBudget(Promise.resolve(7), 'the table', 1000)).resolves.toBe(7);
  });
});

describe('stateWait', () => {
  it('WHEN waits overrun the budget repeatedly THEN one warning, and one info line when a wait is in time again', async () => {
    const { logger, lines } = recordingLogger();
    const wait = stateWait(logger, 10);
    expect(await wait.settle(hung().work, 'the breaker table')).toBe(false);
    expect(await wait.settle(hung().work, 'the breaker table')).toBe(false);
    expect(await wait.settle(Promise.resolve(), 'the breaker table')).toBe(true);
    expect(await wait.settle(Promise.reject(new Error('throttled')), 'the breaker table')).toBe(true);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(lines[0]!.message).toMatch(/slower than the shared-state budget: going on with local state/);
  });
});

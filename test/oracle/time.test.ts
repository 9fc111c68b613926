// TIME against redis-server: the values are the clock (random by nature across
// two processes), so the shape is compared exactly and the values for plausibility.
import { expect, it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { replacing, useOracle } from '../support/oracle.ts'

const timeShape = replacing(
  /^\*2\r\n\$10\r\n\d{10}\r\n\$[1-6]\r\n\d{1,6}\r\n$/,
  '<[10-digit seconds, 1-6 digit microseconds]>',
  'TIME reads each server\'s own clock: only the reply shape can match',
)

for (const resp of [2, 3] as const) {
  describeOracle(`TIME (RESP${resp})`, () => {
    const oracle = useOracle({ resp })
    it('has the same shape and errors as Redis, and the engine reads a real clock', async () => {
      const o = oracle()
      const { engine } = await o.expectSame(['TIME'], timeShape)
      const seconds = Number(/\$10\r\n(\d{10})/.exec(engine)![1])
      expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(5)
      await o.expectSame(['TIME', 'extra'])
      await o.expectSame(['time'], timeShape)
    })
  })
}

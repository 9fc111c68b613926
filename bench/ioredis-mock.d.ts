// ioredis-mock ships no types; the benchmark uses only these methods.
declare module 'ioredis-mock' {
  export default class RedisMock {
    constructor(options?: object)
    set(key: string, value: string): Promise<unknown>
    get(key: string): Promise<string | null>
    incr(key: string): Promise<number>
    disconnect(): void
  }
}

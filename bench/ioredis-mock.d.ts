// ioredis-mock ships no types; the benchmark uses only these methods.
declare module 'ioredis-mock' {
  export default class RedisMock {
    constructor(options?: object)
    set(key: string, value: string): Promise<unknown>
    get(key: string): Promise<string | null>
    incr(key: string): Promise<number>
    lpush(key: string, ...values: string[]): Promise<number>
    lrange(key: string, start: number, stop: number): Promise<string[]>
    hset(key: string, field: string, value: string): Promise<number>
    sadd(key: string, ...members: string[]): Promise<number>
    zadd(key: string, score: string, member: string): Promise<number>
    disconnect(): void
  }
}

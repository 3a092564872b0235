export interface Availability {
  ok: boolean;
  reason: string;
}
export declare const TEST_POSTGRES_URL: string;
export declare const TEST_REDIS_URL: string;
export declare const CHROMIUM_PATH: string;
export declare function probeTcp(url: string, defaultPort: number): Promise<Availability>;
export declare function postgresAvailability(): Promise<Availability>;
export declare function redisAvailability(): Promise<Availability>;
export declare function chromiumAvailability(): Availability;

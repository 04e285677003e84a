import type { INestApplication } from '@nestjs/common';
import { MessagingService } from '@ruta/messaging';
import { createServiceApp } from '@ruta/platform';
import {
  authHeader,
  createTestEnvironment,
  startTestIssuer,
  type TestCaller,
  type TestEnvironment,
  type TestIssuer,
} from '@ruta/testing';
import { Client } from 'pg';
import { AppModule as AuditApp } from '../apps/audit-service/src/app.module';
import { AppModule as HealthApp } from '../apps/health-service/src/app.module';
import { AppModule as IntakeApp } from '../apps/intake-gateway/src/app.module';
import { AppModule as ProtectionApp } from '../apps/protection-service/src/app.module';
import { AppModule as SocialDevelopmentApp } from '../apps/social-development-service/src/app.module';

export interface RunningSystem {
  urls: { intake: string; health: string; socialDevelopment: string; protection: string; audit: string };
  /** The loopback issuer; its tokens are the ones the services accept unless `issuerUrl` named another. */
  issuer: TestIssuer;
  /** The Authorization header of `caller` (callers in @ruta/testing), freshly signed. */
  headersOf: (caller: TestCaller) => Promise<{ authorization: string }>;
  close: () => Promise<void>;
}

/**
 * Starts all five services in this process, each on its own loopback port, against the real
 * infrastructure, with a loopback token issuer they verify tokens against (stopped by close), or
 * the issuer at `issuerUrl` (the Keycloak realm) when it is given.
 */
export async function startSystem(options: { issuerUrl?: string } = {}): Promise<RunningSystem> {
  const issuer = await startTestIssuer();
  if (options.issuerUrl) process.env.RUTA_AUTH_ISSUER = options.issuerUrl;
  const modules = {
    intake: IntakeApp,
    health: HealthApp,
    socialDevelopment: SocialDevelopmentApp,
    protection: ProtectionApp,
    audit: AuditApp,
  };
  const apps: INestApplication[] = [];
  const urls = {} as RunningSystem['urls'];
  try {
    for (const [name, module] of Object.entries(modules)) {
      const app = await createServiceApp(module);
      apps.push(app);
      await app.listen(0, '127.0.0.1');
      urls[name as keyof RunningSystem['urls']] = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    }
    // Messaging starts in the background: wait until every app's topics exist and groups consume.
    await Promise.all(apps.map((a) => a.get(MessagingService).started));
  } catch (error) {
    await Promise.all(apps.map((a) => a.close()));
    await issuer.stop();
    throw error;
  }
  return {
    urls,
    issuer,
    headersOf: (caller) => authHeader(issuer, caller),
    close: async () => {
      await Promise.all(apps.map((a) => a.close()));
      await issuer.stop();
    },
  };
}

/** The whole system on a test environment of its own (database, Kafka namespace), with a client of that database. */
export interface SystemWithDatabase {
  environment: TestEnvironment;
  system: RunningSystem;
  db: Client;
  /** Ends the client, stops the services and drops the environment. */
  close: () => Promise<void>;
}

/** What most system specs start in beforeAll: a test environment labelled `label`, the five services and a database client. */
export async function startSystemWithDatabase(
  label: string,
  options: { issuerUrl?: string } = {},
): Promise<SystemWithDatabase> {
  const environment = await createTestEnvironment(label);
  let system: RunningSystem | undefined;
  try {
    system = await startSystem(options);
    const db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    const running = system;
    return {
      environment,
      system: running,
      db,
      close: async () => {
        await db.end();
        await running.close();
        await environment.teardown();
      },
    };
  } catch (error) {
    await system?.close();
    await environment.teardown();
    throw error;
  }
}

import 'reflect-metadata';
import { bootstrapService } from '@ruta/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule, 3000, { bodyLimit: Number(process.env.INTAKE_BODY_LIMIT ?? 256 * 1024) });

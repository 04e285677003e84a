import 'reflect-metadata';
import { bootstrapService } from '@ruta/platform';
import { AppModule } from './app.module';
import { intakeHttpOptions } from './intake/intake.constants';

void bootstrapService(AppModule, 3000, intakeHttpOptions());

import 'reflect-metadata';
import { bootstrapService } from '@ruta/platform';
import { AppModule } from './app.module';
import { intakeHttpOptions } from './intake/intake.constants';

// A function: the limits are read once bootstrapService has checked them.
void bootstrapService(AppModule, 3000, () => intakeHttpOptions());

import 'reflect-metadata';
import { bootstrapService } from '@ruta/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule, 3003);

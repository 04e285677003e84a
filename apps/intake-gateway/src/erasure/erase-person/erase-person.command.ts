import { Command } from '@nestjs/cqrs';
import type { ErasureAnswer, ErasureRequest } from '../erase-person';

/** Erase one person (crypto-shredding): undefined when the gateway knows nothing of them. */
export class ErasePersonCommand extends Command<ErasureAnswer | undefined> {
  constructor(readonly request: ErasureRequest) {
    super();
  }
}

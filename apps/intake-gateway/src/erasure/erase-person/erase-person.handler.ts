import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { PersonKeyring } from '@ruta/keyring';
import { MessagingService } from '@ruta/messaging';
import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { IdentifierVault } from '../../intake/identifiers/identifier-vault';
import { erasePerson, type ErasureAnswer } from '../erase-person';
import { ErasePersonCommand } from './erase-person.command';

// By reason code only: never a person.
const erasures = new Counter({
  name: 'ruta_person_erasures_total',
  help: 'People erased (their data key destroyed), by reason code',
  labelNames: ['reason'],
});

/** One erasure in one transaction (see erasePerson); the relay is woken to publish person.erased at once. */
@CommandHandler(ErasePersonCommand)
export class ErasePersonHandler implements ICommandHandler<ErasePersonCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keyring: PersonKeyring,
    private readonly vault: IdentifierVault,
    private readonly messaging: MessagingService,
  ) {}

  async execute({ request }: ErasePersonCommand): Promise<ErasureAnswer | undefined> {
    const outcome = await this.dataSource.transaction((manager) =>
      erasePerson(manager, { keyring: this.keyring, vault: this.vault }, request),
    );
    if (outcome?.now) {
      erasures.inc({ reason: request.reason });
      this.messaging.relay.wake();
    }
    return outcome?.answer;
  }
}

import { Controller, Get, HttpCode, Param, Post, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import { AuditLogKeys } from '../../log/audit-log.keys';
import type { ConsistencyAnswer, InclusionAnswer, SignedCheckpoint } from '../../log/log-proofs';
import type { VerifyReport } from '../../log/log-verifier';
import { ApiAuditNotFound, invalidRequest, notFound } from '../audit-problems';
import { GetCheckpointQuery, ProveConsistencyQuery, ProveInclusionQuery, VerifyLogQuery } from './proofs.queries';
import { CheckpointPath, ConsistencyRequest, InclusionRequest } from './proofs.request';

const NotFound = () =>
  ApiAuditNotFound(
    'no such event, or no signed checkpoint of that size (or covering it)',
    'no checkpoint was signed at that size',
  );

const CHECKPOINT_EXAMPLE: SignedCheckpoint = {
  treeSize: '20000',
  rootHash: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  keyId: '3f2a9c1d',
  body: 'ruta-audit-log\n20000\nn4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=\ntime 2026-11-29T14:00:00.000Z\n',
  signature: 'eW91ciBzaWduYXR1cmUgb2YgNjQgYnl0ZXMgaW4gYmFzZTY0IGdvZXMgaGVyZSAuLi4uLi4uLi4uLi4uLi4uLi4uLg==',
};

/**
 * Tamper evidence for auditors: signed checkpoints of the log's Merkle tree, inclusion and
 * consistency proofs against them (checkable with `node scripts/audit-verify.mjs`, which shares no
 * code with this service), and a full recomputation of the log from its rows.
 */
@ApiTags('audit')
@Controller('v1/audit')
export class AuditProofsHttpController {
  constructor(
    private readonly queries: QueryBus,
    private readonly keys: AuditLogKeys,
  ) {}

  @Get('public-key')
  @Public()
  @ApiOkResponse({
    description: 'the Ed25519 public key (SPKI PEM) checkpoints are signed with, and its id; null when none is set',
    schema: {
      example: {
        keyId: '3f2a9c1d',
        publicKey: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA...\n-----END PUBLIC KEY-----\n',
      },
    },
  })
  publicKey(): { keyId: string | null; publicKey: string | null } {
    return { keyId: this.keys.keyId, publicKey: this.keys.publicKeyPem };
  }

  @Get('checkpoints/latest')
  @Roles('auditor')
  @ApiOkResponse({ description: 'the newest signed checkpoint', schema: { example: CHECKPOINT_EXAMPLE } })
  @NotFound()
  @ApiProblems('unauthorized', 'forbidden')
  async latest(): Promise<SignedCheckpoint> {
    const checkpoint = await this.queries.execute(new GetCheckpointQuery());
    if (!checkpoint) throw notFound('no checkpoint was signed yet');
    return checkpoint;
  }

  @Get('checkpoints/:treeSize')
  @Roles('auditor')
  @ApiOkResponse({ description: 'the checkpoint signed at this tree size', schema: { example: CHECKPOINT_EXAMPLE } })
  @NotFound()
  @ApiProblems('invalidRequest', 'unauthorized', 'forbidden')
  async checkpoint(@Param() { treeSize }: CheckpointPath): Promise<SignedCheckpoint> {
    const checkpoint = await this.queries.execute(new GetCheckpointQuery(treeSize));
    if (!checkpoint) throw notFound('no checkpoint was signed at that size');
    return checkpoint;
  }

  @Get('proofs/inclusion')
  @Roles('auditor')
  @ApiOkResponse({
    description:
      'the entry (every field its leaf hash covers, bytes in base64), its audit path and the checkpoint it is proven against',
    schema: {
      example: {
        entry: {
          position: '1041',
          eventId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
          topic: 'intake.events.v1',
          partition: 0,
          offset: '1041',
          type: 'person.registered',
          subject: 'p-7f3a9c2e41b8',
          actor: 'station/lajas-blancas',
          eventTime: '2026-11-29T13:58:00.000Z',
          appendedAt: '2026-11-29T13:58:00.412Z',
          bytes: 'eyJzcGVjdmVyc2lvbiI6IjEuMCIsLi4ufQ==',
        },
        leafIndex: '1041',
        treeSize: '20000',
        proof: ['0JJ4bC3Z...', 'k9Tg1s7Q...'],
        checkpoint: CHECKPOINT_EXAMPLE,
      },
    },
  })
  @NotFound()
  @ApiProblems('invalidRequest', 'unauthorized', 'forbidden')
  async inclusion(@QueryParams() { eventId, treeSize }: InclusionRequest): Promise<InclusionAnswer> {
    const answer = await this.queries.execute(new ProveInclusionQuery(eventId, treeSize));
    if (answer === 'no-event') throw notFound('the log holds no event with that id');
    if (answer === 'no-checkpoint') throw notFound('no signed checkpoint of that size covers the event yet');
    return answer;
  }

  @Get('proofs/consistency')
  @Roles('auditor')
  @ApiOkResponse({
    description: 'both checkpoints and the proof that the older tree is a prefix of the newer one',
    schema: {
      example: { from: { ...CHECKPOINT_EXAMPLE, treeSize: '10000' }, to: CHECKPOINT_EXAMPLE, proof: ['0JJ4bC3Z...'] },
    },
  })
  @NotFound()
  @ApiProblems('invalidRequest', 'unauthorized', 'forbidden')
  async consistency(@QueryParams() { from, to }: ConsistencyRequest): Promise<ConsistencyAnswer> {
    if (BigInt(from) > BigInt(to)) {
      throw invalidRequest([{ field: 'from', message: 'from must not be larger than to' }]);
    }
    const answer = await this.queries.execute(new ProveConsistencyQuery(from, to));
    if (!answer) throw notFound('no checkpoint was signed at one of those sizes');
    return answer;
  }

  @Post('verify')
  @HttpCode(200)
  @Roles('auditor')
  @ApiOkResponse({
    description:
      'recomputes every leaf and every signed root from the rows; `firstBad` names the first position that does not match',
    schema: {
      example: {
        ok: false,
        entries: 1041,
        checkpoints: 0,
        firstBad: {
          position: '1041',
          fault: 'altered',
          detail: 'entry 1041 does not hash to the leaf recorded when it was appended',
        },
      },
    },
  })
  @ApiProblems('unauthorized', 'forbidden')
  verify(): Promise<VerifyReport> {
    return this.queries.execute(new VerifyLogQuery());
  }
}

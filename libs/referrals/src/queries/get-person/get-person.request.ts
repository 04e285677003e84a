import { PickType } from '@nestjs/swagger';
import { ListDecisionsRequest } from '../list-decisions/list-decisions.request';

/** The person of GET /v1/<sector>/people/{personId}: the same parameter, documented and checked, as the decisions list's. */
export class GetPersonParams extends PickType(ListDecisionsRequest, ['personId'] as const) {}

export {
  DEFAULT_ORIGIN,
  formatCheckpoint,
  keyFromConfig,
  keyId,
  parseCheckpoint,
  publicKeyPem,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
} from './checkpoint';
export { MerkleFrontier, type StoredNode } from './frontier';
export { entryLeafData, entryLeafHash, type LogEntry } from './leaf-entry';
export {
  consistencyProof,
  inclusionProof,
  rootAt,
  verifyConsistency,
  verifyInclusion,
  type NodeReader,
  type NodeRef,
} from './proofs';
export { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash } from './rfc6962';
export { toTreeIndex } from './tree-math';

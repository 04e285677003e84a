/**
 * The sector's one clock under the name list-referrals still imports (another branch owns that
 * file); new code injects SECTOR_CLOCK. The same token, so one provider serves both.
 */
export { SECTOR_CLOCK as SLA_CLOCK } from '../sector-clock';

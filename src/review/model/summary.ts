import { AccessReviewModel } from './review-model';

/** The three answers in a few lines. */
export function summaryOf(model: AccessReviewModel): string[] {
  return [
    ...model.answers.providerKeys.map((a) => `provider key ${a.key}: read by ${a.readers.map((r) => r.label).join(', ') || 'nobody'}; used for ${a.usedFor.map((u) => u.label).join(', ') || 'no workload'}`),
    ...model.answers.models.map((a) => `model ${a.model}: invoked by ${a.workloads.map((w) => `${w.workload} (${w.tenant})`).join(', ') || 'no workload'}`),
    ...model.answers.routers.map((a) => `router cell ${a.tenant}: ${a.otherTenantsReached.length === 0 ? 'reaches its own tenant only' : `reaches other tenants: ${a.otherTenantsReached.join(', ')}`}`),
    ...(model.openFindings.length > 0 ? [`${model.openFindings.length} open finding${model.openFindings.length === 1 ? '' : 's'} of the NHI rule pack`] : []),
  ];
}

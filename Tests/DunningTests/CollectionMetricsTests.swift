import Dunning
import Testing

@Suite struct CollectionMetricsTests {
    @Test func theMeasuresFollowTheirFormulas() {
        // 90 days, 90,000.00 invoiced; 30,000.00 open of which 12,000.00 not yet due; 60,000.00 collected.
        let metrics = CollectionMetrics(periodDays: 90, creditSales: 9_000_000, receivables: 3_000_000,
                                        currentReceivables: 1_200_000, collected: 6_000_000)
        #expect(metrics.dso == 30)
        #expect(metrics.bestPossibleDSO == 12)
        #expect(metrics.averageDaysDelinquent == 18)
        #expect(metrics.overdueReceivables == 1_800_000)
        // 60,000 ÷ (60,000 + 18,000) = 76.9 %
        #expect(metrics.collectionEffectivenessIndex == 76.9)
    }

    @Test func nothingInvoicedOrNothingToCollectIsNoFigure() {
        let idle = CollectionMetrics(periodDays: 30, creditSales: 0, receivables: 500, currentReceivables: 0, collected: 0)
        #expect(idle.dso == nil)
        #expect(idle.bestPossibleDSO == nil)
        #expect(idle.averageDaysDelinquent == nil)
        #expect(idle.collectionEffectivenessIndex == 0, "something overdue and nothing collected is 0 %")
        let empty = CollectionMetrics(periodDays: 30, creditSales: 0, receivables: 0, currentReceivables: 0, collected: 0)
        #expect(empty.collectionEffectivenessIndex == nil)
    }

    @Test func everythingCollectedIsAHundredPercent() {
        let clean = CollectionMetrics(periodDays: 30, creditSales: 1000, receivables: 400, currentReceivables: 400, collected: 600)
        #expect(clean.collectionEffectivenessIndex == 100)
        #expect(clean.averageDaysDelinquent == 0)
    }

    @Test func theKeptRateLeavesOutPromisesNotYetVerified() {
        #expect(PromiseOutcomes(kept: 3, broken: 1, open: 10).keptRate == 75)
        #expect(PromiseOutcomes(kept: 0, broken: 0, open: 4).keptRate == nil)
        #expect(PromiseOutcomes(kept: 2, broken: 1, open: 0).keptRate == 66.7)
    }
}

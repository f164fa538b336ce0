// Counting the paper's cells a report reproduces: each cell against its own tolerance, cells of
// adapters the report lacks not counted, and nothing counted without a tolerance.
#include "reports/reference_agreement.h"

#include <gtest/gtest.h>

namespace zooter::reports {
namespace {

AdapterResult result(const std::string& name, double avg0, double avg1, double mtr0, double mtr1, double mtr,
                     double uplift) {
  AdapterResult a;
  a.name = name;
  a.group_average = {avg0, avg1};
  a.group_mtr = {mtr0, mtr1};
  a.mtr = mtr;
  a.uplift = uplift;
  return a;
}

// Two groups: "chat" (0..1 scores) and "code" (percent display, so 0.342 shows as 34.2).
Report two_group_report() {
  Report r;
  r.groups = {{"chat", false, {0}}, {"code", true, {1}}};
  r.evaluation.adapters = {result("zooter", 0.91, 0.352, 1.5, 3.0, 2.1, 0.50),
                           result("oracle", 0.98, 0.753, 1.0, 1.0, 1.0, 1.0)};
  Reference ref;
  ref.tolerance = ReferenceTolerance{{0.02, 1.0}, 0.35, 0.20, 0.10};
  // zooter: chat avg |0.91-0.93| = 0.02 met; code avg |35.2-34.2| = 1.0 met; chat MTR |1.5-1.17|
  // = 0.33 met; code MTR |3.0-3.0| met; MTR |2.1-1.94| = 0.16 met; %Uplift |0.50-0.44| met.
  ref.rows.push_back({"zooter", {0.93, 34.2}, {1.17, 3.0}, 1.94, 0.44});
  // oracle: code avg |75.3-70.0| = 5.3 missed; MTR 1.0 vs 1.3 (0.3 > 0.2) missed; 6 cells.
  ref.rows.push_back({"oracle", {0.98, 70.0}, {1.0, 1.0}, 1.3, 1.0});
  // A row of an adapter the report does not have: not counted.
  ref.rows.push_back({"single@absent", {0.5, 50.0}, {2.0, 2.0}, 2.0, 0.0});
  // Table 2: zooter chat MTR |1.5-1.2| = 0.3 met, code |3.0-3.67| = 0.67 missed, MTR |2.1-1.97| met.
  ref.ablation.push_back({"zooter", {}, {1.2, 3.67}, 1.97, std::nullopt});
  r.reference = ref;
  return r;
}

TEST(ReferenceAgreement, CountsEachCellAgainstItsTolerance) {
  const std::optional<ReferenceAgreement> a = reference_agreement(two_group_report());
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->table1.total, 12u);
  EXPECT_EQ(a->table1.met, 10u);
  EXPECT_EQ(a->table2.total, 3u);
  EXPECT_EQ(a->table2.met, 2u);
  EXPECT_EQ(agreement_text(two_group_report()),
            "Table 1: 10 of 12 published cells within tolerance; Table 2: 2 of 3");
}

TEST(ReferenceAgreement, NothingWithoutATolerance) {
  Report r = two_group_report();
  r.reference->tolerance.reset();
  EXPECT_FALSE(reference_agreement(r).has_value());
  EXPECT_EQ(agreement_text(r), "");
  r.reference.reset();
  EXPECT_FALSE(reference_agreement(r).has_value());
}

TEST(ReferenceAgreement, ANanCellIsNotMet) {
  Report r = two_group_report();
  r.evaluation.adapters[0].mtr = std::nan("");
  EXPECT_EQ(reference_agreement(r)->table1.met, 9u);
}

}  // namespace
}  // namespace zooter::reports

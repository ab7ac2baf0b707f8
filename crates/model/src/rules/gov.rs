//! Governance rules (guidance: "Management and governance" — least-privilege RBAC with
//! PIM, Azure Policy and blueprints).

use super::{Area, Context, Hit, Rule, Severity};

pub const RULES: &[&Rule] = &[&GOV_01, &GOV_02];

pub const GOV_01: Rule = Rule {
    id: "GOV-01",
    severity: Severity::Warning,
    standard: None,
    area: Area::Governance,
    title: "Privileged access is not controlled",
    rationale: doc!(
        "Administrator accounts are the shortest way to a sensitive workload. The guidance grants each person \
                only the rights their tier needs (Azure RBAC, least privilege) and makes elevated rights time-bound \
                and audited with Privileged Identity Management."
    ),
    fix: doc!(
        "Set `governance.rbac` to true (least-privilege role assignments per tier) and `governance.pim` to true \
          (just-in-time elevation with approval and audit)."
    ),
    check: gov_01,
};

fn gov_01(context: &Context) -> Vec<Hit> {
    let governance = &context.design.governance;
    let missing: Vec<&str> = [(governance.rbac, "least-privilege RBAC"), (governance.pim, "PIM")]
        .into_iter()
        .filter(|(on, _)| !on)
        .map(|(_, name)| name)
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    vec![Hit::new("design", format!("governance lacks {}", missing.join(" and ")))]
}

pub const GOV_02: Rule = Rule {
    id: "GOV-02",
    severity: Severity::Info,
    standard: None,
    area: Area::Governance,
    title: "No policy enforces the rules",
    rationale: doc!(
        "Reviews catch mistakes once; Azure Policy keeps catching them, for example by refusing an NSG rule \
                that opens a port to the internet. Blueprints bundle such policies with roles and templates (such \
                as the ISO 27001 blueprint)."
    ),
    fix: doc!(
        "Set `governance.policy` to true with the assignments the workload needs, or name a blueprint or policy \
          initiative in `governance.blueprint` (e.g. `iso27001`)."
    ),
    check: gov_02,
};

fn gov_02(context: &Context) -> Vec<Hit> {
    let governance = &context.design.governance;
    let blueprint = governance.blueprint.as_deref().is_some_and(|b| !b.trim().is_empty());
    if governance.policy || blueprint {
        return Vec::new();
    }
    vec![Hit::new("design", "no Azure Policy assignment and no blueprint")]
}

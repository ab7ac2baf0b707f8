//! Monitoring rules (guidance: "Monitoring" and "Compute" — Defender for Cloud, Azure
//! Monitor with a SIEM, patching and antimalware on every VM).

use crate::design::DefenderPlan;

use super::{Area, Context, Hit, Rule, Severity};

pub const RULES: &[&Rule] = &[&MON_01, &MON_02, &MON_03];

pub const MON_01: Rule = Rule {
    id: "MON-01",
    severity: Severity::Warning,
    standard: None,
    area: Area::Monitoring,
    title: "Defender for Servers is not enabled",
    rationale: doc!(
        "Defender for Cloud's paid server plan adds behavioural threat detection, adaptive network hardening \
                and just-in-time VM access, on which the guidance relies to keep management ports closed."
    ),
    fix: doc!(
        "Set `governance.defenderForServers` to `p2` (plan 2 includes just-in-time access and adaptive network \
          hardening)."
    ),
    check: mon_01,
};

fn mon_01(context: &Context) -> Vec<Hit> {
    if context.design.governance.defender_for_servers != DefenderPlan::Off {
        return Vec::new();
    }
    vec![Hit::new("design", "Microsoft Defender for Servers is off")]
}

pub const MON_02: Rule = Rule {
    id: "MON-02",
    severity: Severity::Info,
    standard: None,
    area: Area::Monitoring,
    title: "Logs are not collected or not watched",
    rationale: doc!(
        "The guidance sends VM, network and firewall logs to Azure Monitor (Log Analytics) for analysis, and \
                feeds them to a SIEM such as Microsoft Sentinel so that attacks are detected and investigated."
    ),
    fix: doc!(
        "Set `governance.monitor` to true (Azure Monitor / Log Analytics) and `governance.sentinel` to true (SIEM \
          integration)."
    ),
    check: mon_02,
};

fn mon_02(context: &Context) -> Vec<Hit> {
    let governance = &context.design.governance;
    let missing: Vec<&str> =
        [(governance.monitor, "Azure Monitor / Log Analytics"), (governance.sentinel, "SIEM integration (Sentinel)")]
            .into_iter()
            .filter(|(on, _)| !on)
            .map(|(_, name)| name)
            .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    vec![Hit::new("design", format!("logs have no {}", missing.join(" and no ")))]
}

pub const MON_03: Rule = Rule {
    id: "MON-03",
    severity: Severity::Info,
    standard: None,
    area: Area::Monitoring,
    title: "A VM is not patched or has no antimalware",
    rationale: doc!(
        "Guest VMs run the customer's code and operating system: unpatched software and missing malware \
                protection are the usual way in. The guidance keeps every VM patched and protected, through \
                Defender for Cloud or the customer's own tools."
    ),
    fix: doc!("Set `patching` and `antimalware` to true on the VM."),
    check: mon_03,
};

fn mon_03(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter_map(|(e, vm)| {
            let missing: Vec<&str> = [(vm.patching, "patching"), (vm.antimalware, "antimalware")]
                .into_iter()
                .filter(|(on, _)| !on)
                .map(|(_, name)| name)
                .collect();
            (!missing.is_empty())
                .then(|| Hit::new(e.id.as_str(), format!("{} has no {}", e.display_name(), missing.join(" and no "))))
        })
        .collect()
}

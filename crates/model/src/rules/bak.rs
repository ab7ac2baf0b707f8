//! Backup rules (guidance: "Backup and restore" — back up at least the data tier, give the
//! backup service access to the encryption keys, rebuild web and business VMs from an image).

use super::{Area, Context, Hit, Rule, Severity};
use crate::element::{Element, ElementProps, RecoveryVault, SubnetRole, Vm};

pub const RULES: &[&Rule] = &[&BAK_01, &BAK_02, &BAK_03];

/// The Recovery Services vault a VM's `backup` names, when it names one.
fn vault<'a>(context: &Context<'a>, vm: &Vm) -> Option<(&'a Element, &'a RecoveryVault)> {
    let element = context.element(vm.backup.as_ref()?.as_str())?;
    match &element.props {
        ElementProps::RecoveryVault(vault) => Some((element, vault)),
        _ => None,
    }
}

pub const BAK_01: Rule = Rule {
    id: "BAK-01",
    severity: Severity::Error,
    standard: None,
    area: Area::Backup,
    title: "A data-tier VM has no backup",
    rationale: doc!(
        "Data can be lost to human error, malicious deletion or ransomware. The guidance asks for backups of \
                at least the VMs of the data tier, so that their disks can be restored to a point before the damage."
    ),
    fix: doc!("Add a `recoveryVault` in the VM's region and name it in the VM's `backup`."),
    check: bak_01,
};

fn bak_01(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter(|(element, _)| context.tier(element) == SubnetRole::Data)
        .filter_map(|(element, vm)| {
            let name = element.display_name();
            match (&vm.backup, vault(context, vm)) {
                (_, Some(_)) => None,
                (None, None) => Some(Hit::new(element.id.as_str(), format!("data-tier VM {name} is not backed up"))),
                (Some(other), None) => Some(Hit::new(
                    element.id.as_str(),
                    format!(
                        "data-tier VM {name} names \"{}\" as its backup, which is no Recovery Services vault",
                        other.as_str()
                    ),
                )),
            }
        })
        .collect()
}

pub const BAK_02: Rule = Rule {
    id: "BAK-02",
    severity: Severity::Warning,
    standard: None,
    area: Area::Backup,
    title: "An encrypted VM is backed up by a vault without Key Vault access",
    rationale: doc!(
        "Azure Backup can only back up (and restore) a VM whose disks are encrypted with Azure Disk \
                Encryption when it may read the keys in Key Vault; without that access the backups of the \
                encrypted VM fail and the protection the guidance asks for is not there."
    ),
    fix: doc!(
        "Set the vault's `keyVaultAccess` to true (grant the backup service access to the Key Vault named in the \
          VM's `diskEncryption.keyVault`), or back the VM up to a vault that has it."
    ),
    check: bak_02,
};

fn bak_02(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter(|(_, vm)| vm.disk_encryption.enabled)
        .filter_map(|(element, vm)| {
            let (vault_element, vault) = vault(context, vm)?;
            (!vault.key_vault_access).then(|| {
                Hit::new(
                    element.id.as_str(),
                    format!(
                        "{} encrypts its disks but is backed up by {}, which may not read the encryption keys",
                        element.display_name(),
                        vault_element.display_name()
                    ),
                )
            })
        })
        .collect()
}

pub const BAK_03: Rule = Rule {
    id: "BAK-03",
    severity: Severity::Info,
    standard: None,
    area: Area::Backup,
    title: "A web or business tier is not a scale set with autoscale",
    rationale: doc!(
        "Web and business VMs hold no data of their own; the guidance runs them as scale sets with autoscale \
                rules so that a compromised or broken VM can be thrown away and replaced by a fresh one built from \
                the base image, instead of being repaired or restored."
    ),
    fix: doc!("Set the tier's `scaleSet` and `autoscale` to true."),
    check: bak_03,
};

fn bak_03(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter(|(element, vm)| {
            matches!(context.tier(element), SubnetRole::Web | SubnetRole::Business) && !(vm.scale_set && vm.autoscale)
        })
        .map(|(element, vm)| {
            let missing = if vm.scale_set { "is a scale set without autoscale" } else { "is not a scale set" };
            Hit::new(
                element.id.as_str(),
                format!(
                    "{} tier {} {missing}: its VMs cannot be replaced from the base image",
                    context.tier(element).as_str(),
                    element.display_name()
                ),
            )
        })
        .collect()
}

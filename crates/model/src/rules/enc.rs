//! Encryption rules (guidance: "Encryption" — Azure Disk Encryption with a key-encryption
//! key brought from an on-premises HSM, Key Vault soft delete and key backup, TLS between
//! tiers with certificates renewed by the Key Vault extension).

use std::collections::{HashMap, HashSet};

use crate::element::{Element, ElementKind, ElementProps, Kek, KeyVault, KeyVaultSku, SubnetRole, TlsCerts};
use crate::link::{FlowProtocol, LinkKind, LinkProps};

use super::{Area, Context, Hit, Rule, Severity};

pub const RULES: &[&Rule] = &[&ENC_01, &ENC_02, &ENC_03, &ENC_04, &ENC_05, &ENC_06, &ENC_07, &ENC_08, &ENC_09, &ENC_10];

/// Every Key Vault with its fields.
fn key_vaults<'a>(context: &'a Context) -> impl Iterator<Item = (&'a Element, &'a KeyVault)> + 'a {
    context.design.elements.iter().map(std::sync::Arc::as_ref).filter_map(|e| match &e.props {
        ElementProps::KeyVault(kv) => Some((e, kv)),
        _ => None,
    })
}

/// The name of an element by id, or the id itself when it is not drawn.
fn name_of(context: &Context, id: &str) -> String {
    context.element(id).map_or_else(|| id.to_owned(), |e| e.display_name().to_owned())
}

pub const ENC_01: Rule = Rule {
    id: "ENC-01",
    severity: Severity::Error,
    standard: Some(Severity::Warning),
    area: Area::Encryption,
    title: "A VM's disks are not encrypted",
    rationale: doc!(
        "The guidance encrypts the OS and data disks of every VM with Azure Disk Encryption, keys held in Key \
                Vault, so that a copied or leaked disk reveals nothing."
    ),
    fix: doc!(
        "Set `diskEncryption.enabled` to true, name the Key Vault in `diskEncryption.keyVault`, and choose a \
          key-encryption key (`diskEncryption.kek`: `byok` for sensitive workloads)."
    ),
    check: enc_01,
};

fn enc_01(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter(|(_, vm)| !vm.disk_encryption.enabled)
        .map(|(e, _)| Hit::new(e.id.as_str(), format!("{} has disk encryption disabled", e.display_name())))
        .collect()
}

pub const ENC_02: Rule = Rule {
    id: "ENC-02",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Encryption,
    title: "Disk encryption has no key-encryption key",
    rationale: doc!(
        "For sensitive workloads the guidance wraps the disk-encryption keys in a key-encryption key (KEK), \
                so that the keys that unlock the disks are themselves protected by a key the customer controls."
    ),
    fix: doc!(
        "Set `diskEncryption.kek` to `byok` (a key generated in an on-premises HSM and imported) or to `keyVault`."
    ),
    check: enc_02,
};

fn enc_02(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter(|(_, vm)| vm.disk_encryption.enabled && vm.disk_encryption.kek == Kek::None)
        .map(|(e, _)| {
            Hit::new(e.id.as_str(), format!("{} encrypts its disks without a key-encryption key", e.display_name()))
        })
        .collect()
}

pub const ENC_03: Rule = Rule {
    id: "ENC-03",
    severity: Severity::Info,
    standard: None,
    area: Area::Encryption,
    title: "The KEK is generated in the cloud though an on-premises HSM exists",
    rationale: doc!(
        "The guidance recommends generating the key-encryption key in an on-premises HSM and importing it \
                into Key Vault (bring your own key), so that the root of the key hierarchy never originates in the \
                cloud. With an HSM on premises this is within reach."
    ),
    fix: doc!(
        "Set `diskEncryption.kek` to `byok` and import the key from the on-premises HSM into a `premium` Key Vault."
    ),
    check: enc_03,
};

fn enc_03(context: &Context) -> Vec<Hit> {
    let hsm_site = context.of_kind(ElementKind::OnPremises).find(|e| match &e.props {
        ElementProps::OnPremises(site) => site.hsm,
        _ => false,
    });
    let Some(site) = hsm_site else { return Vec::new() };
    context
        .vms()
        .filter(|(_, vm)| vm.disk_encryption.enabled && vm.disk_encryption.kek == Kek::KeyVault)
        .map(|(e, _)| {
            Hit::new(
                e.id.as_str(),
                format!(
                    "{} uses a key-encryption key generated in Key Vault, though {} has an HSM to bring one from",
                    e.display_name(),
                    site.display_name()
                ),
            )
        })
        .collect()
}

pub const ENC_04: Rule = Rule {
    id: "ENC-04",
    severity: Severity::Error,
    standard: None,
    area: Area::Encryption,
    title: "A Key Vault has soft delete disabled",
    rationale: doc!(
        "Without soft delete, a deleted key or vault is gone at once: a mistake or a malicious deletion makes \
                every disk and backup encrypted with it unreadable. The guidance enables soft delete on Key Vault."
    ),
    fix: doc!("Set `softDelete` to true on the Key Vault (and `purgeProtection` as well)."),
    check: enc_04,
};

fn enc_04(context: &Context) -> Vec<Hit> {
    key_vaults(context)
        .filter(|(_, kv)| !kv.soft_delete)
        .map(|(e, _)| Hit::new(e.id.as_str(), format!("Key Vault {} has soft delete disabled", e.display_name())))
        .collect()
}

pub const ENC_05: Rule = Rule {
    id: "ENC-05",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Encryption,
    title: "A Key Vault has purge protection disabled",
    rationale: doc!(
        "Soft delete keeps deleted keys recoverable, but without purge protection anyone with enough rights \
                can purge them before the retention period ends, which defeats the protection against malicious \
                deletion the guidance asks for."
    ),
    fix: doc!("Set `purgeProtection` to true on the Key Vault."),
    check: enc_05,
};

fn enc_05(context: &Context) -> Vec<Hit> {
    // Purge protection builds on soft delete; without soft delete ENC-04 reports the vault.
    key_vaults(context)
        .filter(|(_, kv)| kv.soft_delete && !kv.purge_protection)
        .map(|(e, _)| Hit::new(e.id.as_str(), format!("Key Vault {} has purge protection disabled", e.display_name())))
        .collect()
}

pub const ENC_06: Rule = Rule {
    id: "ENC-06",
    severity: Severity::Warning,
    standard: None,
    area: Area::Encryption,
    title: "A Key Vault's keys are not backed up",
    rationale: doc!(
        "Encrypted disks, databases and backups are only as recoverable as their keys. The guidance backs up \
                individual keys, possibly to another region of the same geography."
    ),
    fix: doc!(
        "Set `keyBackup` to true on the Key Vault and back up its keys (to a vault in the paired region of the \
          same geography)."
    ),
    check: enc_06,
};

fn enc_06(context: &Context) -> Vec<Hit> {
    key_vaults(context)
        .filter(|(_, kv)| !kv.key_backup)
        .map(|(e, _)| Hit::new(e.id.as_str(), format!("the keys of Key Vault {} are not backed up", e.display_name())))
        .collect()
}

pub const ENC_07: Rule = Rule {
    id: "ENC-07",
    severity: Severity::Warning,
    standard: None,
    area: Area::Encryption,
    title: "Traffic between tiers is not encrypted",
    rationale: doc!(
        "The guidance protects data in transit with TLS, also between the tiers inside the network, using \
                certificates from an internal CA (Key Vault can act as one). An attacker inside the network \
                otherwise reads the traffic."
    ),
    fix: doc!(
        "Use TLS for this flow and set its `tls` to true; issue the servers' certificates from Key Vault \
          (`tlsCerts`: `keyVaultExtension`)."
    ),
    check: enc_07,
};

fn enc_07(context: &Context) -> Vec<Hit> {
    // Tiers are VMs and subnets; on-premises and the internet are not tiers of the workload.
    let is_tier =
        |id: &str| context.element(id).is_some_and(|e| matches!(e.kind(), ElementKind::Vm | ElementKind::Subnet));
    context
        .links(LinkKind::Flow)
        .filter(|l| match &l.props {
            // ICMP carries no TLS.
            LinkProps::Flow(flow) => !flow.tls && flow.protocol != FlowProtocol::Icmp,
            _ => false,
        })
        .filter(|l| is_tier(l.from.as_str()) && is_tier(l.to.as_str()))
        .map(|l| {
            Hit::new(
                l.id.as_str(),
                format!(
                    "flow from {} to {} is not encrypted with TLS",
                    name_of(context, l.from.as_str()),
                    name_of(context, l.to.as_str())
                ),
            )
        })
        .collect()
}

pub const ENC_08: Rule = Rule {
    id: "ENC-08",
    severity: Severity::Info,
    standard: None,
    area: Area::Encryption,
    title: "A TLS server renews its certificates by hand",
    rationale: doc!(
        "Certificates renewed by hand expire unnoticed and break the service, or tempt people to fall back to \
                plain text. The guidance lets the Key Vault VM extension watch certificates and renew them."
    ),
    fix: doc!("Set `tlsCerts` to `keyVaultExtension` on the VM and keep its certificates in Key Vault."),
    check: enc_08,
};

fn enc_08(context: &Context) -> Vec<Hit> {
    // VMs a TLS flow ends at, and VMs balanced on 443.
    let flow_targets: HashSet<&str> = context
        .links(LinkKind::Flow)
        .filter(|l| matches!(&l.props, LinkProps::Flow(flow) if flow.tls))
        .map(|l| l.to.as_str())
        .collect();
    let balanced_on_443: HashSet<&str> = context
        .design
        .elements
        .iter()
        .flat_map(|e| match &e.props {
            ElementProps::LoadBalancer(lb) if lb.ports.contains(&443) => lb.backends.as_slice(),
            ElementProps::AppGateway(agw) if agw.ports.contains(&443) => agw.backends.as_slice(),
            _ => &[],
        })
        .map(|b| b.as_str())
        .collect();
    let serves_tls = |vm: &Element| {
        context.tier(vm) == SubnetRole::Web
            || flow_targets.contains(vm.id.as_str())
            || balanced_on_443.contains(vm.id.as_str())
    };
    context
        .vms()
        .filter(|(_, vm)| vm.tls_certs != TlsCerts::KeyVaultExtension)
        .filter(|(e, _)| serves_tls(e))
        .map(|(e, vm)| {
            let how = match vm.tls_certs {
                TlsCerts::Manual => "renews its certificates by hand",
                _ => "has no managed certificates",
            };
            Hit::new(e.id.as_str(), format!("{} serves TLS but {how}", e.display_name()))
        })
        .collect()
}

pub const ENC_09: Rule = Rule {
    id: "ENC-09",
    severity: Severity::Error,
    standard: None,
    area: Area::Encryption,
    title: "A VM's disk-encryption Key Vault is in another region",
    rationale: doc!(
        "Azure Disk Encryption requires the Key Vault and the VM to be in the same region (and \
                subscription); a vault elsewhere cannot be used, so the design cannot be deployed as drawn."
    ),
    fix: doc!("Set `diskEncryption.keyVault` to a Key Vault in the VM's region (add one there if needed)."),
    check: enc_09,
};

fn enc_09(context: &Context) -> Vec<Hit> {
    context
        .vms()
        .filter(|(_, vm)| vm.disk_encryption.enabled)
        .filter_map(|(e, vm)| {
            let vault = context.element(vm.disk_encryption.key_vault.as_ref()?.as_str())?;
            let (vm_region, vm_fields) = context.region_of(e)?;
            let (kv_region, kv_fields) = context.region_of(vault)?;
            // Two region elements for one location are the same region.
            let same = vm_region.id == kv_region.id
                || (vm_fields.location.is_some() && vm_fields.location == kv_fields.location);
            (!same).then(|| {
                Hit::new(
                    e.id.as_str(),
                    format!(
                        "{} is in {} but its disk-encryption Key Vault {} is in {}",
                        e.display_name(),
                        vm_region.display_name(),
                        vault.display_name(),
                        kv_region.display_name()
                    ),
                )
            })
        })
        .collect()
}

pub const ENC_10: Rule = Rule {
    id: "ENC-10",
    severity: Severity::Warning,
    standard: Some(Severity::Info),
    area: Area::Encryption,
    title: "Key-encryption keys live in a standard Key Vault",
    rationale: doc!(
        "The guidance keeps keys in HSM-backed Key Vault. The standard sku protects keys in software only; \
                HSM-protected keys, and importing a key from an on-premises HSM, need the premium sku or Managed \
                HSM."
    ),
    fix: doc!("Set the Key Vault's `sku` to `premium` (or `managedHsm`)."),
    check: enc_10,
};

fn enc_10(context: &Context) -> Vec<Hit> {
    // The first VM (in document order) holding its key-encryption key in each vault.
    let mut users: HashMap<&str, &Element> = HashMap::new();
    for (element, vm) in context.vms() {
        let encryption = &vm.disk_encryption;
        if encryption.enabled
            && matches!(encryption.kek, Kek::KeyVault | Kek::Byok)
            && let Some(vault) = &encryption.key_vault
        {
            users.entry(vault.as_str()).or_insert(element);
        }
    }
    key_vaults(context)
        .filter(|(_, kv)| kv.sku == KeyVaultSku::Standard)
        .filter_map(|(kv, _)| {
            let user = users.get(kv.id.as_str())?;
            Some(Hit::new(
                kv.id.as_str(),
                format!(
                    "Key Vault {} holds the key-encryption key of {} but is standard sku (software-protected keys)",
                    kv.display_name(),
                    user.display_name()
                ),
            ))
        })
        .collect()
}

//! Elements (SPEC §2.1): one base record (`id`, `kind`, `name`, `parent`) plus per-kind fields.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::ElementId;
use crate::record::{Fields, kinds, take_id, take_string, write_record};

/// One element of a design.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub id: ElementId,
    /// Optional display name; the id is shown when it is absent.
    pub name: Option<String>,
    /// The containing element (a subnet for a VM, a region for a VNet, ...).
    pub parent: Option<ElementId>,
    pub props: ElementProps,
    /// Fields this version does not know: kept and written back (forward compatibility).
    pub extra: Fields,
}

impl Element {
    /// A new element of `kind` with SPEC defaults.
    pub fn new(id: impl Into<ElementId>, kind: ElementKind, parent: Option<ElementId>) -> Self {
        Element { id: id.into(), name: None, parent, props: ElementProps::default_for(kind), extra: Fields::new() }
    }

    pub fn kind(&self) -> ElementKind {
        self.props.kind()
    }

    /// The name to show: `name`, or the id when there is none.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(self.id.as_str())
    }
}

kinds! {
    /// The per-kind fields of an element.
    ElementProps,
    /// The kind of an element, as written in `kind`.
    ElementKind {
        Region(Region) = "region",
        OnPremises(OnPremises) = "onPremises",
        Internet(Internet) = "internet",
        Vnet(Vnet) = "vnet",
        Subnet(Subnet) = "subnet",
        Vm(Vm) = "vm",
        DedicatedHost(DedicatedHost) = "dedicatedHost",
        Nsg(Nsg) = "nsg",
        Asg(Asg) = "asg",
        RouteTable(RouteTable) = "routeTable",
        Firewall(Firewall) = "firewall",
        Nva(Nva) = "nva",
        VpnGateway(VpnGateway) = "vpnGateway",
        ExpressRouteGateway(ExpressRouteGateway) = "expressRouteGateway",
        Bastion(Bastion) = "bastion",
        LoadBalancer(LoadBalancer) = "loadBalancer",
        AppGateway(AppGateway) = "appGateway",
        KeyVault(KeyVault) = "keyVault",
        RecoveryVault(RecoveryVault) = "recoveryVault",
        PrivateDnsZone(PrivateDnsZone) = "privateDnsZone",
        TrafficManager(TrafficManager) = "trafficManager",
        FrontDoor(FrontDoor) = "frontDoor",
    }
}

/// Where an element of a kind may be placed (SPEC §2.1, "parent").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// No parent: the element stands at the top of the canvas.
    TopLevel,
    /// Inside an element of this kind.
    In(ElementKind),
    /// Inside a subnet of this role (Azure's GatewaySubnet, AzureFirewallSubnet, AzureBastionSubnet).
    InSubnetWithRole(SubnetRole),
}

impl ElementKind {
    pub fn placement(self) -> Placement {
        use ElementKind::*;
        match self {
            Region | OnPremises | Internet | TrafficManager | FrontDoor => Placement::TopLevel,
            Vnet | DedicatedHost | Nsg | Asg | RouteTable | KeyVault | RecoveryVault | PrivateDnsZone => {
                Placement::In(Region)
            }
            Subnet => Placement::In(Vnet),
            Vm | Nva | LoadBalancer | AppGateway => Placement::In(Subnet),
            Firewall => Placement::InSubnetWithRole(SubnetRole::Firewall),
            VpnGateway | ExpressRouteGateway => Placement::InSubnetWithRole(SubnetRole::Gateway),
            Bastion => Placement::InSubnetWithRole(SubnetRole::Bastion),
        }
    }

    /// A short mark for the kind, drawn in the element's badge.
    pub fn badge(self) -> &'static str {
        use ElementKind::*;
        match self {
            Region => "RG",
            OnPremises => "DC",
            Internet => "WWW",
            Vnet => "VNET",
            Subnet => "SNET",
            Vm => "VM",
            DedicatedHost => "HOST",
            Nsg => "NSG",
            Asg => "ASG",
            RouteTable => "UDR",
            Firewall => "FW",
            Nva => "NVA",
            VpnGateway => "VPN",
            ExpressRouteGateway => "ER",
            Bastion => "BAS",
            LoadBalancer => "LB",
            AppGateway => "AGW",
            KeyVault => "KV",
            RecoveryVault => "RSV",
            PrivateDnsZone => "DNS",
            TrafficManager => "TM",
            FrontDoor => "AFD",
        }
    }

    /// Whether elements of this kind are drawn as containers of other elements.
    pub fn is_container(self) -> bool {
        matches!(self, ElementKind::Region | ElementKind::Vnet | ElementKind::Subnet)
    }
}

// ---- per-kind fields -------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Region {
    /// ARM location name, e.g. `westeurope`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Availability zones; absent means "as the region table says".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zones: Option<bool>,
    /// The region pair; absent means "as the region table says".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paired_with: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OnPremises {
    pub address_space: Vec<String>,
    /// An on-premises HSM exists (keys can be brought to Azure: BYOK).
    pub hsm: bool,
    /// On-premises DNS exists.
    pub dns: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Internet {}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Vnet {
    pub address_space: Vec<String>,
    pub ddos_protection: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Subnet {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    pub role: SubnetRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nsg: Option<ElementId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_table: Option<ElementId>,
}

/// What a subnet is for; also the tier of the VMs in it unless they say otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SubnetRole {
    Dmz,
    Web,
    Business,
    Data,
    Management,
    /// Azure's `GatewaySubnet`.
    Gateway,
    /// Azure's `AzureFirewallSubnet`.
    Firewall,
    /// Azure's `AzureBastionSubnet`.
    Bastion,
    #[default]
    Other,
}

impl SubnetRole {
    pub const ALL: &'static [SubnetRole] = &[
        SubnetRole::Dmz,
        SubnetRole::Web,
        SubnetRole::Business,
        SubnetRole::Data,
        SubnetRole::Management,
        SubnetRole::Gateway,
        SubnetRole::Firewall,
        SubnetRole::Bastion,
        SubnetRole::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubnetRole::Dmz => "dmz",
            SubnetRole::Web => "web",
            SubnetRole::Business => "business",
            SubnetRole::Data => "data",
            SubnetRole::Management => "management",
            SubnetRole::Gateway => "gateway",
            SubnetRole::Firewall => "firewall",
            SubnetRole::Bastion => "bastion",
            SubnetRole::Other => "other",
        }
    }

    /// The subnet name Azure requires for this role, where it requires one.
    pub fn azure_subnet_name(self) -> Option<&'static str> {
        match self {
            SubnetRole::Gateway => Some("GatewaySubnet"),
            SubnetRole::Firewall => Some("AzureFirewallSubnet"),
            SubnetRole::Bastion => Some("AzureBastionSubnet"),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Vm {
    /// ARM size, e.g. `Standard_D4s_v5`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Instances in this tier.
    pub count: u32,
    pub zones: Vec<u8>,
    pub availability_set: bool,
    pub os: Os,
    /// The tier; absent means the role of the subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<SubnetRole>,
    pub os_disk: String,
    pub data_disks: Vec<DataDisks>,
    pub disk_encryption: DiskEncryption,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<ElementId>,
    pub public_ip: bool,
    /// NIC-level NSG.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nsg: Option<ElementId>,
    pub asgs: Vec<ElementId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<ElementId>,
    pub scale_set: bool,
    pub autoscale: bool,
    pub jit: bool,
    pub antimalware: bool,
    pub patching: bool,
    pub tls_certs: TlsCerts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
}

impl Default for Vm {
    fn default() -> Self {
        Vm {
            size: None,
            count: 1,
            zones: Vec::new(),
            availability_set: false,
            os: Os::Linux,
            tier: None,
            os_disk: "P10".to_owned(),
            data_disks: Vec::new(),
            disk_encryption: DiskEncryption::default(),
            backup: None,
            public_ip: false,
            nsg: None,
            asgs: Vec::new(),
            host: None,
            scale_set: false,
            autoscale: false,
            jit: false,
            antimalware: false,
            patching: false,
            tls_certs: TlsCerts::None,
            private_ip: None,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Os {
    #[default]
    Linux,
    Windows,
}

/// `count` managed data disks of one SKU (e.g. `P30`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DataDisks {
    pub sku: String,
    pub count: u32,
    #[serde(flatten)]
    pub extra: Fields,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DiskEncryption {
    pub enabled: bool,
    pub kek: Kek,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_vault: Option<ElementId>,
    #[serde(flatten)]
    pub extra: Fields,
}

/// Where the key-encryption key of Azure Disk Encryption comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Kek {
    #[default]
    None,
    /// Generated in Key Vault.
    KeyVault,
    /// Brought from an on-premises HSM.
    Byok,
}

/// How a VM that serves TLS gets and renews its certificates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TlsCerts {
    KeyVaultExtension,
    Manual,
    #[default]
    None,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DedicatedHost {
    /// Host SKU, e.g. `Dsv5-Type1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<u8>,
    pub count: u32,
}

impl Default for DedicatedHost {
    fn default() -> Self {
        DedicatedHost { sku: None, zone: None, count: 1 }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Nsg {
    pub rules: Vec<NsgRule>,
}

/// One NSG security rule (SPEC §2.3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NsgRule {
    pub name: String,
    pub priority: u32,
    pub direction: Direction,
    pub access: Access,
    pub protocol: RuleProtocol,
    pub source: String,
    pub source_ports: String,
    pub destination: String,
    pub destination_ports: String,
    #[serde(flatten)]
    pub extra: Fields,
}

impl Default for NsgRule {
    fn default() -> Self {
        NsgRule {
            name: String::new(),
            priority: 4096,
            direction: Direction::Inbound,
            access: Access::Deny,
            protocol: RuleProtocol::Any,
            source: "*".to_owned(),
            source_ports: "*".to_owned(),
            destination: "*".to_owned(),
            destination_ports: "*".to_owned(),
            extra: Fields::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    #[default]
    Inbound,
    Outbound,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    Allow,
    #[default]
    Deny,
}

/// The protocol of an NSG or firewall rule; `*` is any.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleProtocol {
    #[serde(rename = "tcp", alias = "Tcp", alias = "TCP")]
    Tcp,
    #[serde(rename = "udp", alias = "Udp", alias = "UDP")]
    Udp,
    #[serde(rename = "icmp", alias = "Icmp", alias = "ICMP")]
    Icmp,
    #[default]
    #[serde(rename = "*", alias = "any", alias = "Any")]
    Any,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Asg {}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RouteTable {
    pub routes: Vec<Route>,
    pub disable_gateway_propagation: bool,
}

/// One user-defined route.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Route {
    pub name: String,
    pub prefix: String,
    pub next_hop: NextHop,
    /// The firewall or NVA a `virtualAppliance` route sends to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_hop_element: Option<ElementId>,
    #[serde(flatten)]
    pub extra: Fields,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NextHop {
    VirtualAppliance,
    VirtualNetworkGateway,
    VnetLocal,
    Internet,
    #[default]
    None,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Firewall {
    pub tier: FirewallTier,
    pub zones: Vec<u8>,
    /// Evaluated in order; no match means deny.
    pub rules: Vec<FirewallRule>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FirewallTier {
    Basic,
    #[default]
    Standard,
    Premium,
}

/// One firewall or NVA rule (SPEC §2.3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FirewallRule {
    pub name: String,
    pub action: Access,
    pub protocol: RuleProtocol,
    pub source: String,
    pub destination: String,
    pub destination_ports: String,
    #[serde(flatten)]
    pub extra: Fields,
}

impl Default for FirewallRule {
    fn default() -> Self {
        FirewallRule {
            name: String::new(),
            action: Access::Deny,
            protocol: RuleProtocol::Any,
            source: "*".to_owned(),
            destination: "*".to_owned(),
            destination_ports: "*".to_owned(),
            extra: Fields::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Nva {
    pub count: u32,
    pub zones: Vec<u8>,
    pub rules: Vec<FirewallRule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
}

impl Default for Nva {
    fn default() -> Self {
        Nva { count: 1, zones: Vec::new(), rules: Vec::new(), vendor: None }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VpnGateway {
    pub sku: String,
}

impl Default for VpnGateway {
    fn default() -> Self {
        VpnGateway { sku: "VpnGw1AZ".to_owned() }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExpressRouteGateway {
    pub sku: String,
}

impl Default for ExpressRouteGateway {
    fn default() -> Self {
        ExpressRouteGateway { sku: "ErGw1AZ".to_owned() }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Bastion {
    pub sku: BastionSku,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BastionSku {
    Basic,
    #[default]
    Standard,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LoadBalancer {
    pub public: bool,
    /// The VM tiers it balances.
    pub backends: Vec<ElementId>,
    pub ports: Vec<u16>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppGateway {
    pub public: bool,
    pub waf: bool,
    pub backends: Vec<ElementId>,
    pub ports: Vec<u16>,
}

impl Default for AppGateway {
    fn default() -> Self {
        AppGateway { public: false, waf: true, backends: Vec::new(), ports: Vec::new() }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyVault {
    pub sku: KeyVaultSku,
    pub soft_delete: bool,
    pub purge_protection: bool,
    pub key_backup: bool,
    pub public_access: bool,
}

impl Default for KeyVault {
    fn default() -> Self {
        KeyVault {
            sku: KeyVaultSku::Premium,
            soft_delete: true,
            purge_protection: false,
            key_backup: false,
            public_access: false,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyVaultSku {
    Standard,
    #[default]
    Premium,
    ManagedHsm,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RecoveryVault {
    /// May read the disk-encryption keys of the VMs it backs up.
    pub key_vault_access: bool,
}

impl Default for RecoveryVault {
    fn default() -> Self {
        RecoveryVault { key_vault_access: true }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PrivateDnsZone {
    /// The DNS zone, e.g. `contoso.internal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrafficManager {}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FrontDoor {}

// ---- reading and writing the base record ------------------------------------------------

impl Serialize for Element {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let base = [("name", self.name.as_deref()), ("parent", self.parent.as_ref().map(ElementId::as_str))];
        write_record(self.id.as_str(), self.kind().as_str(), &base, self.props.write(), &self.extra)
            .serialize(serializer)
    }
}

impl Element {
    /// Reads an element from its record in place, as its `Deserialize` does when that
    /// succeeds; `Err(())` where that would fail (the caller then reads it that way for the
    /// message). The quick path of `format::load_value`.
    pub(crate) fn read_record(record: &Fields) -> Result<Element, ()> {
        let id = crate::record::string_in(record, "id")?.ok_or(())?;
        let name = crate::record::string_in(record, "name")?;
        let parent = crate::record::string_in(record, "parent")?.map(ElementId);
        let (props, extra) = ElementProps::read_record(record, &["id", "name", "parent", "kind"])?;
        Ok(Element { id: ElementId(id), name, parent, props, extra })
    }
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = Fields::deserialize(deserializer)?;
        let id = take_id(&mut fields, "an element").map_err(serde::de::Error::custom)?;
        let read = |mut fields: Fields| -> Result<Element, String> {
            let name = take_string(&mut fields, "name")?;
            let parent = take_string(&mut fields, "parent")?.map(ElementId);
            let (props, extra) = ElementProps::read_rest(fields)?;
            Ok(Element { id: ElementId(id.clone()), name, parent, props, extra })
        };
        read(fields).map_err(|message| serde::de::Error::custom(format!("element \"{id}\": {message}")))
    }
}

/// Convenience accessors for the kinds the rest of the model asks about most.
impl ElementProps {
    pub fn as_subnet(&self) -> Option<&Subnet> {
        match self {
            ElementProps::Subnet(subnet) => Some(subnet),
            _ => None,
        }
    }

    pub fn as_vm(&self) -> Option<&Vm> {
        match self {
            ElementProps::Vm(vm) => Some(vm),
            _ => None,
        }
    }
}

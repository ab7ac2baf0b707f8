//! Links (SPEC §2.2): a base record (`id`, `kind`, `name`, `from`, `to`) plus per-kind fields.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::element::ElementKind;
use crate::ids::{ElementId, LinkId};
use crate::record::{Fields, kinds, take_id, take_string, write_record};

/// One link of a design, from one element to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub id: LinkId,
    pub name: Option<String>,
    pub from: ElementId,
    pub to: ElementId,
    pub props: LinkProps,
    /// Fields this version does not know: kept and written back.
    pub extra: Fields,
}

impl Link {
    pub fn new(id: impl Into<LinkId>, kind: LinkKind, from: impl Into<ElementId>, to: impl Into<ElementId>) -> Self {
        Link {
            id: id.into(),
            name: None,
            from: from.into(),
            to: to.into(),
            props: LinkProps::default_for(kind),
            extra: Fields::new(),
        }
    }

    pub fn kind(&self) -> LinkKind {
        self.props.kind()
    }
}

kinds! {
    /// The per-kind fields of a link.
    LinkProps,
    /// The kind of a link, as written in `kind`.
    LinkKind {
        Peering(Peering) = "peering",
        Vpn(Vpn) = "vpn",
        ExpressRoute(ExpressRoute) = "expressRoute",
        Flow(Flow) = "flow",
        Replication(Replication) = "replication",
        DnsLink(DnsLink) = "dnsLink",
    }
}

/// The element kinds a flow may start or end at (SPEC §5, endpoints).
pub const FLOW_ENDPOINTS: &[ElementKind] =
    &[ElementKind::Vm, ElementKind::Subnet, ElementKind::OnPremises, ElementKind::Internet];

impl LinkKind {
    /// The kinds allowed at the `from` end and at the `to` end.
    pub fn ends(self) -> (&'static [ElementKind], &'static [ElementKind]) {
        match self {
            LinkKind::Peering => (&[ElementKind::Vnet], &[ElementKind::Vnet]),
            LinkKind::Vpn => (&[ElementKind::OnPremises], &[ElementKind::VpnGateway]),
            LinkKind::ExpressRoute => (&[ElementKind::OnPremises], &[ElementKind::ExpressRouteGateway]),
            LinkKind::Flow => (FLOW_ENDPOINTS, FLOW_ENDPOINTS),
            LinkKind::Replication => (&[ElementKind::Vm], &[ElementKind::Vm]),
            LinkKind::DnsLink => (&[ElementKind::PrivateDnsZone], &[ElementKind::Vnet]),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Peering {
    pub allow_forwarded_traffic: bool,
    /// `from`'s gateways serve `to`.
    pub gateway_transit: bool,
}

impl Default for Peering {
    fn default() -> Self {
        Peering { allow_forwarded_traffic: true, gateway_transit: false }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Vpn {
    /// The ExpressRoute link this VPN runs over (IPsec over the private circuit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub over_express_route: Option<LinkId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExpressRoute {
    pub bandwidth_mbps: u32,
    pub plan: ExpressRoutePlan,
    pub premium: bool,
}

impl Default for ExpressRoute {
    fn default() -> Self {
        ExpressRoute { bandwidth_mbps: 1000, plan: ExpressRoutePlan::Metered, premium: false }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExpressRoutePlan {
    #[default]
    Metered,
    Unlimited,
}

/// Traffic the design intends to allow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Flow {
    pub protocol: FlowProtocol,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub tls: bool,
}

impl Default for Flow {
    fn default() -> Self {
        Flow { protocol: FlowProtocol::Tcp, port: None, tls: true }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowProtocol {
    #[default]
    #[serde(rename = "tcp")]
    Tcp,
    #[serde(rename = "udp")]
    Udp,
    #[serde(rename = "icmp")]
    Icmp,
    #[serde(rename = "any", alias = "*")]
    Any,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Replication {
    pub technology: ReplicationTechnology,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReplicationTechnology {
    SqlAlwaysOn,
    OracleDataGuard,
    Mysql,
    #[default]
    Other,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DnsLink {}

impl Serialize for Link {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let base = [("name", self.name.as_deref()), ("from", Some(self.from.as_str())), ("to", Some(self.to.as_str()))];
        write_record(self.id.as_str(), self.kind().as_str(), &base, self.props.write(), &self.extra)
            .serialize(serializer)
    }
}

impl Link {
    /// Reads a link from its record in place, as its `Deserialize` does when that succeeds;
    /// `Err(())` where that would fail (the caller then reads it that way for the message).
    /// The quick path of `format::load_value`.
    pub(crate) fn read_record(record: &Fields) -> Result<Link, ()> {
        let id = crate::record::string_in(record, "id")?.ok_or(())?;
        let name = crate::record::string_in(record, "name")?;
        let from = crate::record::string_in(record, "from")?.ok_or(())?;
        let to = crate::record::string_in(record, "to")?.ok_or(())?;
        let (props, extra) = LinkProps::read_record(record, &["id", "name", "from", "to", "kind"])?;
        Ok(Link { id: LinkId(id), name, from: ElementId(from), to: ElementId(to), props, extra })
    }
}

impl<'de> Deserialize<'de> for Link {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = Fields::deserialize(deserializer)?;
        let id = take_id(&mut fields, "a link").map_err(serde::de::Error::custom)?;
        let read = |mut fields: Fields| -> Result<Link, String> {
            let name = take_string(&mut fields, "name")?;
            let from = take_string(&mut fields, "from")?.ok_or("has no \"from\"")?;
            let to = take_string(&mut fields, "to")?.ok_or("has no \"to\"")?;
            let (props, extra) = LinkProps::read_rest(fields)?;
            Ok(Link { id: LinkId(id.clone()), name, from: ElementId(from), to: ElementId(to), props, extra })
        };
        read(fields).map_err(|message| serde::de::Error::custom(format!("link \"{id}\": {message}")))
    }
}

//! The estimates panel as a person uses it: cost, availability and isolation of the design,
//! and a price export imported from a file.

use moat_e2e::{Session, TempDir};
use moat_model::cost::money;

/// The cost total as the panel shows it while some line is unpriced: a lower bound.
fn at_least(total: f64) -> String {
    format!("at least {} USD", money(total))
}

#[tokio::test(flavor = "current_thread")]
async fn estimates_show_cost_availability_isolation_and_take_imported_prices() {
    let session = Session::open().await;
    session.click("[data-tab=estimates]").await;
    let book = moat_model::cost::PriceBook::builtin();
    let design = moat_model::load(include_str!("../../../assets/examples/n-tier.moat.json")).unwrap().design;
    let expected = moat_model::estimate::estimate(&design, &book);

    assert_eq!(session.text("[data-testid=cost-total]").await, at_least(expected.cost.monthly_total));
    assert!(expected.cost.monthly_total > 1000.0, "thousands are grouped: {}", money(expected.cost.monthly_total));
    assert_eq!(session.text("[data-testid=cost-unpriced]").await, "· 3 lines unpriced, not counted");
    assert!(session.text("[data-testid=unpriced]").await.contains("web-lb"), "unknown prices are listed");
    let composite = session.text("[data-testid=availability-composite]").await;
    assert_eq!(composite, format!("{}%", moat_model::availability::show(expected.availability.composite)));
    assert!(session.text("[data-isolation-tier=db]").await.contains("shared hardware"));
    session.screenshot("estimates").await;

    // An Azure Retail Prices export for D4s v5 at 0.30/h replaces the built-in 0.23/h.
    let folder = TempDir::new("moat-e2e-prices");
    let export = folder.0.join("retail-prices.json");
    std::fs::write(&export, serde_json::json!({ "Items": [{
        "retailPrice": 0.30, "armRegionName": "westeurope", "meterName": "D4s v5", "productName": "Virtual Machines Dsv5 Series",
        "skuName": "D4s v5", "serviceName": "Virtual Machines", "unitOfMeasure": "1 Hour", "type": "Consumption",
        "armSkuName": "Standard_D4s_v5", "effectiveStartDate": "2026-10-01T00:00:00Z" }] }).to_string()).unwrap();
    // A second file chosen with it, as the API pages: the same price, a Spot one and a usage one.
    let second = folder.0.join("page-2.json");
    let d4s = |price: f64, sku: &str, unit: &str| {
        serde_json::json!({
        "retailPrice": price, "armRegionName": "westeurope", "meterName": sku, "productName": "Virtual Machines Dsv5 Series",
        "skuName": sku, "serviceName": "Virtual Machines", "unitOfMeasure": unit, "type": "Consumption",
        "armSkuName": "Standard_D4s_v5" })
    };
    let page = serde_json::json!({ "Items": [d4s(0.30, "D4s v5", "1 Hour"), d4s(0.09, "D4s v5 Spot", "1 Hour"), d4s(0.01, "D4s v5", "1 GB")],
        "NextPageLink": null, "Count": 3 });
    std::fs::write(&second, page.to_string()).unwrap();
    let input = session.wait_for("input[data-action=prices-file]").await;
    let both = format!("{}\n{}", export.to_str().unwrap(), second.to_str().unwrap());
    input.send_keys(&both).await.expect("the exports are chosen");
    let imported = session.text("[data-testid=imported-prices]").await;
    assert_eq!(
        imported,
        "Imported: retail-prices.json (1 price used, 0 items passed over), page-2.json (1 price used, 2 items passed over)"
    );
    let raised = at_least(expected.cost.monthly_total + (0.30 - 0.23) * 730.0 * 4.0);
    assert_eq!(session.text_once("[data-testid=cost-total]", &raised).await, raised);

    // A price no source has is entered by hand, kept in the design, and counted.
    session.type_into("[data-field=\"price.web-lb\"]", "18.25").await;
    let with_manual = at_least(expected.cost.monthly_total + (0.30 - 0.23) * 730.0 * 4.0 + 18.25);
    assert_eq!(session.text_once("[data-testid=cost-total]", &with_manual).await, with_manual);
    assert!(!session.text("[data-testid=unpriced]").await.contains("web-lb"));
    assert_eq!(session.text("[data-testid=cost-unpriced]").await, "· 2 lines unpriced, not counted");

    // The usage the estimate assumes is shown with its default and changed in place: 4 GB
    // of logs a day instead of 1 costs 3 × 730 / 24 GB more at 2.99 USD (Log Analytics) and
    // 2.99 USD (Sentinel, indicative) a GB, each line rounded to the cent as the model does.
    let logs = "[data-assumption=\"governance.logGbPerDay\"]";
    assert_eq!(session.text(logs).await, "Log data a day (GB) default 1");
    session.type_into("[data-field=\"governance.logGbPerDay\"]", "4").await;
    let mut more = design.clone();
    more.governance.log_gb_per_day = Some(4.0);
    let logs_cost = moat_model::estimate::estimate(&more, &book).cost.monthly_total - expected.cost.monthly_total;
    assert!((logs_cost - 2.0 * 2.99 * 3.0 * 730.0 / 24.0).abs() < 0.05, "{logs_cost}");
    let more_logs = at_least(expected.cost.monthly_total + (0.30 - 0.23) * 730.0 * 4.0 + 18.25 + logs_cost);
    assert_eq!(session.text_once("[data-testid=cost-total]", &more_logs).await, more_logs);
    assert_eq!(session.text(logs).await, "Log data a day (GB) set in the design");
    session.wait_for("[data-testid=cost-chart] rect.bar").await;
    session.resize_window(1024, 700).await;
    session.screenshot("estimates-1024").await;
    session.close().await;

    let session = Session::open_in("ja").await;
    session.click("[data-tab=estimates]").await;
    let total = session.text("[data-testid=cost-total]").await;
    assert_eq!(total, format!("{} USD 以上", money(expected.cost.monthly_total)));
    assert_eq!(session.text("[data-testid=cost-unpriced]").await, "· 価格不明の 3 行は含みません");
    assert!(session.text("[data-testid=usage-assumed]").await.contains("1 日あたりのログ量 (GB)"));
    session.screenshot("estimates-ja").await;
    session.resize_window(1024, 700).await;
    session.screenshot("estimates-ja-1024").await;
    session.close().await;
}

/// A copy of the site without `leave_out` (a file or folder of it).
fn site_without(leave_out: &str) -> TempDir {
    fn copy(from: &std::path::Path, to: &std::path::Path, leave_out: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
            let (source, target) = (entry.path(), to.join(entry.file_name()));
            if source == leave_out {
                continue;
            }
            if source.is_dir() {
                copy(&source, &target, leave_out)
            } else {
                std::fs::copy(&source, &target).map(drop).unwrap()
            }
        }
    }
    let dist = std::path::PathBuf::from(std::env::var_os("MOAT_DIST").expect("MOAT_DIST"));
    let site = TempDir::new("moat-e2e-site");
    copy(&dist, &site.0, &dist.join(leave_out));
    site
}

#[tokio::test(flavor = "current_thread")]
async fn a_price_book_the_site_cannot_serve_is_named_and_the_rest_works() {
    let site = site_without("prices");
    let session = Session::start(vec![site.0.clone()]).await;
    // The browser logs the failed fetch; the page says it too.
    session.expect_console_error("prices/vm-and-disk.json - Failed to load resource");
    session.client.goto(&session.url).await.unwrap();
    session.wait_for("[data-element-id=web]").await;
    assert!(session.text("[data-testid=error]").await.contains("prices/vm-and-disk.json"));
    session.click("[data-tab=estimates]").await;
    let shown = session.text("[data-testid=prices-unreadable]").await;
    assert!(shown.contains("prices/vm-and-disk.json"), "{shown}");
    assert!(session.text("[data-tab=findings]").await.starts_with("Findings"), "the analyses still run");
    // Exports that price nothing still work; the review report says why it cannot.
    session.click("[data-action=dismiss]").await;
    session.click("[data-action=export]").await;
    session.click("[data-export=terraform]").await;
    let (name, terraform) = session.downloaded_file("tf").await;
    assert_eq!(name, "Three-tier-app-in-one-region.tf");
    assert!(String::from_utf8(terraform).unwrap().contains("azurerm_linux_virtual_machine"));
    session.click("[data-action=export]").await;
    session.click("[data-export=report]").await;
    assert!(session.text("[data-testid=error]").await.contains("prices/vm-and-disk.json"));
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_reference_table_the_site_cannot_serve_is_named_before_anything_is_shown() {
    let site = site_without("sla.json");
    // The page says it in its language (Japanese when it opens in it).
    let said = [
        ("en-US", "", "Moat cannot start: could not read sla.json from the site"),
        ("ja", "-ja", "Moat を開始できません: サイトから sla.json を読み込めませんでした"),
    ];
    for (locale, suffix, start) in said {
        let session = Session::start_in(vec![site.0.clone()], locale).await;
        session.expect_console_error("sla.json - Failed to load resource");
        session.client.goto(&session.url).await.unwrap();
        let shown = session.text("[role=alert]").await;
        assert!(shown.starts_with(start), "{shown}");
        assert!(!session.exists("[data-element-id]").await, "no design is shown without the tables");
        session.screenshot(&format!("cannot-start{suffix}-1440")).await;
        session.resize_window(1024, 700).await;
        session.screenshot(&format!("cannot-start{suffix}-1024")).await;
        session.close().await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_interface_english_the_site_cannot_serve_is_named_before_anything_is_shown() {
    let site = site_without("i18n/ui.en.json");
    let session = Session::start(vec![site.0.clone()]).await;
    session.expect_console_error("ui.en.json - Failed to load resource");
    session.client.goto(&session.url).await.unwrap();
    let shown = session.text("[role=alert]").await;
    assert!(shown.starts_with("Moat cannot start: could not read i18n/ui.en.json from the site"), "{shown}");
    assert!(!session.exists("[data-element-id]").await, "nothing is shown without the interface's words");
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_example_the_site_cannot_serve_leaves_a_blank_design_and_says_why() {
    let site = site_without("examples");
    let session = Session::start(vec![site.0.clone()]).await;
    session.expect_console_error("n-tier.moat.json - Failed to load resource");
    session.client.goto(&session.url).await.unwrap();
    let shown = session.text("[data-testid=error]").await;
    assert!(shown.contains("examples/n-tier.moat.json"), "{shown}");
    assert_eq!(session.count("[data-element-id]").await, 0);
    session.close().await;
}

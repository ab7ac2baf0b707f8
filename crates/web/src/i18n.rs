//! The languages of the interface: every string the web app shows, in English and in
//! Japanese (in the terms of Azure's Japanese documentation, with its half-width spaces:
//! "ネットワーク セキュリティ グループ"). The language is session state, never saved in the
//! design: it comes from `?lang=ja|en`, else the choice saved in local storage, else the
//! browser's languages; views read it from a Yew context.
//!
//! Every text is one entry of the `texts!` table below, so a string cannot be added in one
//! language only: the table gives both, and the tests check that neither is empty, that
//! both have the same `{placeholders}`, and that Japanese differs from English unless the
//! entry is a name that reads the same in both.
//!
//! The browser's build leaves both columns out (they are not part of the download): the
//! site serves them as `i18n/ui.en.json` and `i18n/ui.ja.json`, which a test keeps equal to
//! the table. The app reads the English before it starts and the Japanese before it first
//! shows Japanese (`read`).

use std::cell::Cell;
use std::fmt::Display;

use moat_model::element::ElementKind;
use moat_model::link::LinkKind;
pub use moat_model::rules::i18n::Lang;
use moat_model::rules::{Area, Severity};
use yew::prelude::*;

/// Where the language chosen with the toolbar's language button is kept.
pub const LANG_KEY: &str = "moat.lang";

macro_rules! texts {
    ($($name:ident => $en:literal, $ja:literal;)*) => {
        /// A string of the interface. `{name}` marks a value filled in by `Text::fill`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Text { $($name),* }

        impl Text {
            /// Every text, for the tests that keep the table complete.
            pub const ALL: &'static [Text] = &[$(Text::$name),*];

            /// The English of the table. Native builds (the tests, and the site file's
            /// source) have it; the browser's build reads it from `i18n/ui.en.json`.
            #[cfg(not(target_arch = "wasm32"))]
            pub fn en_in_table(self) -> &'static str {
                match self { $(Text::$name => $en),* }
            }

            /// The Japanese of the table, as the English: the browser reads `i18n/ui.ja.json`.
            #[cfg(not(target_arch = "wasm32"))]
            pub fn ja_in_table(self) -> &'static str {
                match self { $(Text::$name => $ja),* }
            }
        }
    };
}

texts! {
    // The page.
    PageTitle => "Moat — design sensitive IaaS workloads on Azure", "Moat — Azure の機密性の高い IaaS ワークロードを設計";
    LangButton => "日本語", "English";
    LangLabel => "日本語: switch the interface to Japanese", "English: 表示言語を英語に切り替え";
    LangTitle => "Switch the interface to Japanese (日本語)", "表示言語を英語 (English) に切り替えます";

    // The toolbar.
    New => "New", "新規";
    NewTitle => "New blank design (undoable)", "新しい空の設計 (元に戻せます)";
    Templates => "Templates", "テンプレート";
    TemplatesTitle => "Start from a template (undoable)", "テンプレートから始める (元に戻せます)";
    Open => "Open", "開く";
    OpenTitle => "Open a .moat.json file", ".moat.json ファイルを開く";
    Save => "Save", "保存";
    SaveTitle => "Save as a file (Ctrl+S)", "ファイルとして保存 (Ctrl+S)";
    Export => "Export", "エクスポート";
    ExportTitle => "Export the design for other tools", "ほかのツール向けに設計をエクスポート";
    ExportJson => "Design file (.moat.json)", "設計ファイル (.moat.json)";
    ExportJsonSchema => "JSON Schema of the format", "ファイル形式の JSON スキーマ";
    ExportTerraform => "Terraform (azurerm)", "Terraform (azurerm)";
    ExportDrawio => "draw.io diagram", "draw.io ダイアグラム";
    ExportMermaid => "Mermaid flowchart", "Mermaid フローチャート";
    ExportSvg => "SVG picture", "SVG 画像";
    ExportReport => "Design-review report (HTML, printable)", "設計レビュー レポート (HTML、印刷用)";
    ExportPng => "PNG picture", "PNG 画像";
    Share => "Share", "共有";
    ShareTitle => "Put the whole design in a link", "設計全体をリンクに含める";
    ShareCopied => "Share link copied to the clipboard ({n} characters): it carries the whole design.",
        "共有リンクをクリップボードにコピーしました ({n} 文字): 設計全体が含まれています。";
    ShareCopyHere => "The browser did not let Moat copy the share link. Copy it from here (it carries the whole design):",
        "ブラウザーが共有リンクのコピーを許可しませんでした。ここからコピーしてください (設計全体が含まれています):";
    ShareLinkLabel => "Share link", "共有リンク";
    Close => "Close", "閉じる";
    ShareFailed => "could not set the share link", "共有リンクを設定できませんでした";
    SharedLink => "shared link: {message}", "共有リンク: {message}";
    Versions => "Versions", "バージョン";
    VersionsTitle => "Earlier autosaved versions", "以前に自動保存されたバージョン";
    NoVersions => "No earlier version yet.", "以前のバージョンはまだありません。";
    EarlierVersion => "the earlier version", "以前のバージョン";
    AutosavedDesign => "the autosaved design", "自動保存された設計";
    KeptAs => "{message}. It is kept in local storage as {key}.",
        "{message}。ローカル ストレージに {key} として保管しています。";
    Undo => "Undo", "元に戻す";
    UndoTitle => "Undo (Ctrl+Z)", "元に戻す (Ctrl+Z)";
    Redo => "Redo", "やり直し";
    RedoTitle => "Redo (Ctrl+Shift+Z)", "やり直し (Ctrl+Shift+Z)";
    ZoomOut => "Zoom out", "縮小";
    ZoomIn => "Zoom in", "拡大";
    Fit => "Fit", "全体表示";
    FitTitle => "Fit to screen", "画面に合わせる";
    UntitledDesign => "Untitled design", "無題の設計";
    FindingCountsTitle => "Findings of the rule catalogue", "ルール カタログの検出結果";
    Saved => "Saved", "保存済み";
    Saving => "Saving…", "保存中…";

    // Banners and notices.
    DownloadDesign => "Download your design", "設計をダウンロード";
    Dismiss => "Dismiss", "閉じる";
    LinkAs => "Link {from} to {to} as:", "{from} から {to} へのリンクの種類:";
    Cancel => "Cancel", "キャンセル";
    OtherTab => "Another tab saved a different version of this design.",
        "別のタブがこの設計の異なるバージョンを保存しました。";
    LoadTheirs => "Load theirs", "別のタブの版を読み込む";
    KeepMine => "Keep mine", "この版を残す";
    SharedOffer => "Open the shared design? It replaces the one you were working on (Undo brings it back).",
        "共有された設計を開きますか? 作業中の設計は置き換えられます ([元に戻す] で戻せます)。";
    OpenIt => "Open it", "開く";
    Autosave => "autosave: {message}", "自動保存: {message}";
    StorageFull => "the browser's storage is full or unavailable: download your design to keep it",
        "ブラウザーのストレージがいっぱいか使用できません: 設計を残すにはダウンロードしてください";
    CouldNotSave => "could not save {name}: {what}", "{name} を保存できませんでした: {what}";
    NoBlob => "no blob", "Blob を作成できません";
    NoObjectUrl => "no object URL", "オブジェクト URL を作成できません";
    NoDocument => "no document", "ドキュメントがありません";
    NoLink => "no link", "リンクを作成できません";
    NoImage => "no image", "画像を作成できません";
    CouldNotFetch => "could not read {file} from the site", "サイトから {file} を読み込めませんでした";
    PricesLoading => "Reading the price book…", "価格表を読み込んでいます…";
    CannotStart => "Moat cannot start: {message}. Reload the page; your autosaved design is kept.",
        "Moat を開始できません: {message}。ページを再読み込みしてください。自動保存したデザインは残っています。";
    NoLinkKind => "No kind of link joins \"{from}\" to \"{to}\". {kind} is linked: {ways}.",
        "\"{from}\" と \"{to}\" を結ぶ種類のリンクはありません。{kind} のリンク: {ways}。";
    NoLinkProtects => "No link joins \"{from}\" to \"{to}\". {kind} protects {targets}: draw it on one, or drop it there, to associate it.",
        "\"{from}\" と \"{to}\" を結ぶリンクはありません。{kind} は {targets} を保護します。関連付けるには、その上に引くかドロップしてください。";
    NoLinkAtAll => "No link joins \"{from}\" to \"{to}\": {kind} takes no links.",
        "\"{from}\" と \"{to}\" を結ぶリンクはありません: {kind} はリンクを持ちません。";
    LinkWay => "{link} with {kinds}", "{kinds} との{link}";
    ListSeparator => ", ", "、";
    OneVm => "Virtual machine", "仮想マシン (1 台)";
    SomeVms => "{n} virtual machines", "仮想マシン {n} 台";
    ZoneN => "Zone {n}", "ゾーン {n}";
    NoPrice => "no price here", "この場所の価格なし";
    PerMonth => "{amount} a month", "月額 {amount}";
    IsolatedMark => " · isolated", " · 分離";
    SizeSummary => "{vcpus} vCPUs · {memory} GiB · {price}{isolated}", "{vcpus} vCPU · {memory} GiB · {price}{isolated}";
    UnknownSize => "Moat does not know this size: its cost is unknown. Pick one from the list.",
        "Moat はこのサイズを知りません。コストは不明です。一覧から選んでください。";
    ConnectSelectFirst => "Select one element to link it (L).", "リンクする要素を 1 つ選択してください (L)。";
    ConnectFrom => "Link {from} to:", "{from} のリンク先:";
    ConnectNothing => "Nothing in this design can be linked to {from}.", "この設計には {from} とリンクできる要素がありません。";
    Connect => "Connect…", "接続…";
    ConnectTitle => "Link the selected element to another, chosen from a list (L)", "選択中の要素を、一覧から選んだ要素にリンクする (L)";
    LinkIt => "Link", "リンク";
    ShortcutsTitle => "Keyboard shortcuts", "キーボード ショートカット";
    ShortcutUndo => "Undo, redo", "元に戻す、やり直し";
    ShortcutClipboard => "Copy, paste, duplicate", "コピー、貼り付け、複製";
    ShortcutSelectAll => "Select everything", "すべて選択";
    ShortcutDelete => "Delete the selection", "選択したものを削除";
    ShortcutNudge => "Move the selection (Shift: 10 px)", "選択したものを移動 (Shift: 10 px)";
    ShortcutConnect => "Link the selected element to another", "選択中の要素を別の要素にリンク";
    ShortcutCancel => "Cancel, or clear the selection", "取り消し、または選択解除";
    ShortcutPan => "Pan the canvas", "キャンバスをスクロール";
    ShortcutSave => "Save the design as a file", "設計をファイルに保存";
    ShortcutPlaces => "Go to the palette, the canvas, the inspector", "パレット、キャンバス、インスペクターへ移動";
    ShortcutAdd => "On a palette entry: add it into the selection", "パレットの項目で: 選択中の要素の中に追加";
    ShortcutSheet => "Show or hide this list", "この一覧の表示・非表示";
    SkipToCanvas => "Skip to the canvas", "キャンバスへ移動";
    BlankHint => "Drag a region from the palette onto the canvas to start, or pick a ready design from Templates.",
        "パレットからリージョンをキャンバスにドラッグして始めるか、テンプレートから設計を選んでください。";
    BlankHintMore => "Then drop a VNet in the region, subnets in the VNet and VMs in the subnets. Keyboard: Tab to the palette, Enter adds.",
        "次に、リージョンに VNet、VNet にサブネット、サブネットに VM をドロップします。キーボード: Tab でパレットへ移り、Enter で追加します。";
    DropCannot => "{kind} cannot stand here.", "{kind} はここには置けません。";
    DropCreate => "Create {containers} for it here", "ここに {containers} を作って置く";
    DropNearest => "Put it in {name}", "{name} に置く";
    WaySeparator => "; ", "／";

    // The panel under the canvas.
    Analysis => "Analysis", "分析";
    TabFindings => "Findings: {error} {error:error|errors}, {warning} {warning:warning|warnings}, {info} info",
        "検出結果: エラー {error} 件、警告 {warning} 件、情報 {info} 件";
    TabReachability => "Reachability", "到達可能性";
    TabReachabilityDenied => "Reachability: {n} denied {n:flow|flows}", "到達可能性: 拒否されたフロー {n} 件";
    TabEstimates => "Estimates", "見積もり";
    TabStructureClean => "Structure: no problems", "構造: 問題なし";
    TabStructureProblems => "Structure: {n} {n:problem|problems}", "構造: 問題 {n} 件";
    TabOutline => "Outline", "アウトライン";
    Updating => "Updating…", "更新中…";
    WellFormed => "The design is well formed.", "設計の構造に問題はありません。";
    OutlineLabel => "Outline of the design", "設計のアウトライン";

    // The palette.
    Palette => "Palette", "パレット";
    FoldPalette => "Show the palette as icons only", "パレットをアイコンだけにする";
    UnfoldPalette => "Show the palette with names", "パレットに名前を表示する";
    FoldInspector => "Fold the inspector away", "インスペクターをたたむ";
    UnfoldInspector => "Open the inspector", "インスペクターを開く";
    PanelLarger => "Enlarge the panel", "パネルを大きくする";
    PanelSmaller => "Make the panel smaller again", "パネルを元の大きさに戻す";
    PanelFold => "Fold the panel down to its tabs", "パネルをタブだけにたたむ";
    PanelUnfold => "Open the panel", "パネルを開く";
    GroupNetwork => "Network", "ネットワーク";
    GroupCompute => "Compute", "コンピューティング";
    GroupSecurity => "Security", "セキュリティ";
    GroupHybrid => "Hybrid", "ハイブリッド";
    GroupGlobal => "Global", "グローバル";
    PaletteAdd => "Add {kind} (Enter adds it into the selected container)",
        "{kind} を追加 (Enter キーで選択中のコンテナーに追加)";
    PaletteTitle => "Drag onto the canvas, or press Enter: {kind}", "キャンバスにドラッグするか Enter キーを押します: {kind}";
    KindRegion => "Region", "リージョン";
    KindOnPremises => "On-premises site", "オンプレミス サイト";
    KindInternet => "Internet", "インターネット";
    KindVnet => "Virtual network", "仮想ネットワーク";
    KindSubnet => "Subnet", "サブネット";
    KindVm => "Virtual machines", "仮想マシン";
    KindDedicatedHost => "Dedicated host", "専用ホスト";
    KindNsg => "Network security group", "ネットワーク セキュリティ グループ";
    KindAsg => "Application security group", "アプリケーション セキュリティ グループ";
    KindRouteTable => "Route table", "ルート テーブル";
    KindFirewall => "Azure Firewall", "Azure Firewall";
    KindNva => "Network virtual appliance", "ネットワーク仮想アプライアンス";
    KindVpnGateway => "VPN gateway", "VPN ゲートウェイ";
    KindExpressRouteGateway => "ExpressRoute gateway", "ExpressRoute ゲートウェイ";
    KindBastion => "Bastion", "Azure Bastion";
    KindLoadBalancer => "Load balancer", "ロード バランサー";
    KindAppGateway => "Application gateway", "Application Gateway";
    KindKeyVault => "Key Vault", "キー コンテナー";
    KindRecoveryVault => "Recovery Services vault", "Recovery Services コンテナー";
    KindPrivateDnsZone => "Private DNS zone", "プライベート DNS ゾーン";
    KindTrafficManager => "Traffic Manager", "Traffic Manager";
    KindFrontDoor => "Front Door", "Azure Front Door";

    // The canvas.
    CanvasLabel => "Design: {title}", "設計: {title}";
    ConnectHandle => "Drag to another element to connect", "別の要素にドラッグして接続";
    Legend => "Legend", "凡例";
    TidyUp => "Tidy up", "整列";
    TidyUpTitle => "Lay the whole design out again: hub first, spokes beside it, protection under each VNet", "設計全体を配置し直します (ハブを先頭に、スポークをその横に、各 VNet の保護をその下に)";

    // The inspector.
    Inspector => "Inspector", "インスペクター";
    DesignHeading => "Design", "設計";
    Selected => "{n} selected", "{n} 個を選択中";
    Delete => "Delete", "削除";
    DefaultChoice => "(default)", "(既定)";
    NoneChoice => "(none)", "(なし)";
    AddReference => "Add…", "追加…";
    RemoveReference => "Remove {id}", "{id} を外す";
    MoveUp => "Move up", "上へ移動";
    MoveDown => "Move down", "下へ移動";
    Remove => "Remove", "削除";
    Add => "Add", "追加";
    SortByPriority => "Sort by priority", "優先度で並べ替え";

    // The findings panel.
    Severity => "severity", "重大度";
    Area => "area", "領域";
    All => "all", "すべて";
    SeverityError => "error", "エラー";
    SeverityWarning => "warning", "警告";
    SeverityInfo => "info", "情報";
    AreaAvailability => "availability", "可用性";
    AreaNetwork => "network", "ネットワーク";
    AreaHybrid => "hybrid", "ハイブリッド接続";
    AreaManagement => "management", "管理";
    AreaIsolation => "isolation", "分離";
    AreaEncryption => "encryption", "暗号化";
    AreaBackup => "backup", "バックアップ";
    AreaRegion => "region", "リージョン";
    AreaGovernance => "governance", "ガバナンス";
    AreaMonitoring => "monitoring", "監視";
    FindingsShown => "{shown} of {total} findings shown", "検出結果 {total} 件中 {shown} 件を表示";
    NoFindings => "No findings: every rule is satisfied.", "検出結果はありません: すべてのルールを満たしています。";
    SuppressedHeading => "Suppressed ({n})", "抑制済み ({n})";
    Unsuppress => "Unsuppress", "抑制を解除";
    Why => "Why: ", "理由: ";
    Fix => "Fix: ", "対処: ";
    SuppressReason => "Reason for accepting this finding", "この検出結果を受け入れる理由";
    ReasonNeeded => "Write why this finding is accepted: a suppression needs a reason.",
        "この検出結果を受け入れる理由を書いてください。抑制には理由が必要です。";
    Suppress => "Suppress", "抑制";

    // The reachability panel.
    From => "from", "送信元";
    To => "to", "宛先";
    Choose => "choose…", "選択…";
    UseSelection => "Use the selected element", "選択中の要素を使用";
    Protocol => "protocol", "プロトコル";
    AnyProtocol => "any", "任意";
    PortAny => "port (empty: any)", "ポート (空欄: 任意)";
    Allow => "allow", "許可";
    Deny => "deny", "拒否";
    ReturnPath => "Reply: ", "応答: ";
    DecidedBy => "Decided by ", "判定: ";
    DeciderRule => "{element} — rule {rule}", "{element} — 規則 {rule}";
    DeniedBy => " by {element} / {rule}", " ({element} / {rule} による)";
    NoFlows => "No declared flows: draw a flow link between two endpoints.",
        "宣言されたフローはありません: 2 つのエンドポイントの間にフロー リンクを描いてください。";
    MatrixPort => "Matrix port (empty: any)", "マトリックスのポート (空欄: 任意)";
    FromTo => "from \\ to", "送信元 \\ 宛先";
    MatrixLegend => "✓ allowed, ✗ denied (hover a cell for the reason), — the endpoint itself, · no answer",
        "✓ 許可、✗ 拒否 (セルにポインターを置くと理由を表示)、— 同じエンドポイント、· 回答なし";
    EffectiveRulesOf => "Effective rules of {id}", "{id} の有効なセキュリティ規則";
    Direction => "Dir", "方向";
    Nsg => "NSG", "NSG";
    Priority => "Prio", "優先度";
    Name => "Name", "名前";
    Access => "Access", "アクセス";
    Source => "Source", "ソース";
    Destination => "Destination", "宛先";
    Ports => "Ports", "ポート";
    EffectiveRoutesOf => "Effective routes of {id}", "{id} の有効なルート";
    Prefix => "Prefix", "アドレス プレフィックス";
    NextHop => "Next hop", "次ホップ";
    RouteState => "State", "状態";
    RouteActive => "Active", "アクティブ";
    RouteInvalid => "Invalid", "無効";
    Inbound => "inbound", "受信";
    Outbound => "outbound", "送信";
    DeclaredFlows => "Declared flows", "宣言されたフロー";
    Matrix => "Matrix", "マトリックス";

    // The estimates panel.
    CostHeading => "Cost per month (730 h)", "1 か月あたりのコスト (730 時間)";
    PayAsYouGo => " pay-as-you-go · ", " 従量課金制 · ";
    WithSavingsPlan => "{amount} with a savings plan", "節約プランでは {amount}";
    AtLeast => "at least {amount}", "{amount} 以上";
    LinesUnpriced => " · {n} {n:line|lines} unpriced, not counted", " · 価格不明の {n} 行は含みません";
    ImportPrices => "Import prices…", "価格をインポート…";
    Imported => "Imported: {files}", "インポート済み: {files}";
    ImportedFile => "{name} ({used} {used:price|prices} used, {ignored} {ignored:item|items} passed over)",
        "{name} ({used} 件を使用、{ignored} 件は対象外)";
    CouldNotReadFile => "{file}: the browser could not read the file", "{file}: ブラウザーがファイルを読み込めませんでした";
    Element => "Element", "要素";
    What => "What", "内容";
    Payg => "PAYG", "従量課金制";
    SavingsPlan => "Savings plan", "節約プラン";
    PriceSource => "Source", "出典";
    EnterPrice => "unknown: enter / month", "不明: 月額を入力";
    Unpriced => "Unknown prices (listed, not counted): {elements}", "価格不明 (一覧のみ、合計に含めない): {elements}";
    UsageBased => "Usage-based charges, not estimated", "使用量に応じた料金 (見積もりに含めない)";
    UsageAssumed => "Usage assumed: change it to your own figures", "想定する使用量: 実際の値に変更できます";
    DefaultIs => "default {value}", "既定値 {value}";
    SetByYou => "set in the design", "設計で設定";
    CostChart => "Monthly cost by element", "要素ごとの月額コスト";
    AvailabilityHeading => "Availability", "可用性";
    Composite => " composite · {minutes} minutes of downtime a month · target {target}%",
        " 複合 · 1 か月あたりのダウンタイム {minutes} 分 · 目標 {target}%";
    MeetsTarget => "meets target", "目標を満たす";
    BelowTarget => "below target", "目標未満";
    Tier => "Tier", "層";
    Sla => "SLA", "SLA";
    WithFront => "With front", "前段を含む";
    Basis => "Basis", "根拠";
    IsolationHeading => "Isolation", "分離";
    Compute => "Compute", "コンピューティング";
    Segmentation => "Segmentation", "セグメント化";
    Exposure => "Exposure", "公開";
    SharedHardware => "shared hardware", "共有ハードウェア";
    IsolatedSize => "isolated VM size", "分離された VM サイズ";
    DedicatedHost => "dedicated host", "専用ホスト";
    OwnSubnet => "own subnet", "専用サブネット";
    AsgUsed => "ASG", "ASG";
    ForcedTunnelling => "forced tunnelling", "強制トンネリング";
    OwnSpoke => "own spoke", "専用スポーク";
    PublicEndpoint => "public endpoint", "パブリック エンドポイント";
    SameHostAsDmz => "DMZ on the same host", "同じホスト上の DMZ";
    NoExposure => "none", "なし";
    IsolationCost => "Isolation costs {overhead} a month over shared hardware ({designed} against {shared}){incomplete}.",
        "分離のコストは共有ハードウェアと比べて月額 {overhead} です (設計どおり {designed}、共有ハードウェア {shared}){incomplete}。";
    SomeUnknown => "; some prices unknown", "、一部の価格は不明";
    Consolidated => "Consolidated on {vms} × {size} (each needs {vcpus} vCPUs): {monthly} a month. {note}",
        "{vms} 台の {size} に集約した場合 (それぞれ {vcpus} vCPU が必要): 月額 {monthly}。{note}";
    NoIsolatedSize => "no isolated size large enough", "十分な大きさの分離サイズなし";
    Unknown => "unknown", "不明";

    // The templates (their designs keep the model's English titles).
    TemplateNTier => "Three-tier app in one region", "1 つのリージョンの 3 層アプリ";
    TemplateNTierAbout => "Web, business and data tiers across zones behind load balancers, NSGs with deny-all at 4096, Bastion, Key Vault with a key-encryption key, backup.",
        "ロード バランサーの背後でゾーンに分散した Web 層、ビジネス層、データ層、優先度 4096 ですべてを拒否する NSG、Azure Bastion、キー暗号化キーを使うキー コンテナー、バックアップ。";
    TemplateHubSpoke => "Hub-spoke with DMZ and VPN over ExpressRoute", "DMZ と ExpressRoute 経由の VPN を備えたハブスポーク";
    TemplateHubSpokeAbout => "A hub with a DMZ appliance pair, a zone-redundant Azure Firewall, VPN over ExpressRoute with VPN failover, Bastion and Key Vault, serving two forced-tunnelled application spokes.",
        "DMZ アプライアンスのペア、ゾーン冗長の Azure Firewall、VPN フェールオーバー付きの ExpressRoute 経由の VPN、Azure Bastion、キー コンテナーを備えたハブが、強制トンネリングされた 2 つのアプリケーション スポークに対応します。";
    TemplateMultiRegion => "Multi-region hub-spoke in a region pair", "リージョン ペアにまたがる複数リージョンのハブスポーク";
    TemplateMultiRegionAbout => "The hub-spoke design in West Europe and North Europe, globally peered through VPN appliances in both hubs, with SQL Server Always On replication and on-premises DNS failover.",
        "西ヨーロッパと北ヨーロッパのハブスポーク設計。両方のハブの VPN アプライアンスを介してグローバル ピアリングし、SQL Server Always On のレプリケーションとオンプレミス DNS のフェールオーバーを備えます。";
    TemplateIsolated => "Tiers consolidated on isolated VM sizes", "分離された VM サイズに集約した層";
    TemplateIsolatedAbout => "The application tiers consolidated on isolated VM sizes spread over zones, with the DMZ reverse proxies on isolated VMs of their own.",
        "アプリケーション層をゾーンに分散した分離された VM サイズに集約し、DMZ のリバース プロキシはそれ専用の分離された VM で実行します。";
    TemplateDedicatedHost => "DMZ and application on separate dedicated hosts", "DMZ とアプリケーションを別々の専用ホストに配置";
    TemplateDedicatedHostAbout => "DMZ VMs and application VMs on separate dedicated hosts whose SKUs match the VM series, so a compromised DMZ VM shares no hardware with the application.",
        "DMZ の VM とアプリケーションの VM を、VM シリーズに合う SKU の別々の専用ホストに配置します。侵害された DMZ の VM がアプリケーションとハードウェアを共有することはありません。";
}

/// Entries that read the same in both languages: product names and abbreviations.
#[cfg(all(test, not(target_arch = "wasm32")))]
const SAME_IN_BOTH: &[Text] =
    &[Text::ExportTerraform, Text::KindFirewall, Text::KindTrafficManager, Text::Nsg, Text::Sla, Text::AsgUsed];

impl Text {
    /// The text in English: from the table in native builds; in the browser from the site's
    /// `i18n/ui.en.json`, read before the app starts. Until then only the few texts that say
    /// why it cannot start are there.
    pub fn en(self) -> &'static str {
        #[cfg(not(target_arch = "wasm32"))]
        return self.en_in_table();
        #[cfg(target_arch = "wasm32")]
        return from_site_file(Lang::En, self).or_else(|| self.before_the_site_file()).unwrap_or("");
    }

    /// The English of the texts that say why the app cannot start, which must show when the
    /// English file itself cannot be read (a test keeps them equal to the table).
    pub fn before_the_site_file(self) -> Option<&'static str> {
        match self {
            Text::CannotStart => Some("Moat cannot start: {message}. Reload the page; your autosaved design is kept."),
            Text::CouldNotFetch => Some("could not read {file} from the site"),
            _ => None,
        }
    }

    /// The text in Japanese: from the table in native builds; in the browser from the site's
    /// `i18n/ui.ja.json` once read, English until then.
    pub fn ja(self) -> &'static str {
        #[cfg(not(target_arch = "wasm32"))]
        return self.ja_in_table();
        #[cfg(target_arch = "wasm32")]
        return from_site_file(Lang::Ja, self).unwrap_or_else(|| self.en());
    }

    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en(),
            Lang::Ja => self.ja(),
        }
    }

    /// The text in `lang` with each `{name}` replaced by its value.
    /// The text in `lang` with each `{name}` replaced by its value, and each English
    /// `{name:one|many}` by `one` when the value is 1, else `many` ("1 error", "2 errors").
    pub fn fill(self, lang: Lang, values: &[(&str, &dyn Display)]) -> String {
        let mut text = self.get(lang).to_owned();
        // Plural forms are rare: most texts skip their search (a string search per value is
        // what an edit's frame pays for the hundreds of labels it fills).
        let plurals = text.contains('|');
        for (name, value) in values {
            let value = value.to_string();
            text = text.replace(&format!("{{{name}}}"), &value);
            if !plurals {
                continue;
            }
            let marker = format!("{{{name}:");
            while let Some(start) = text.find(&marker) {
                let Some(end) = text[start..].find('}').map(|e| start + e) else { break };
                let forms = &text[start + marker.len()..end];
                let (one, many) = forms.split_once('|').unwrap_or((forms, forms));
                let form = if value == "1" { one } else { many }.to_owned();
                text.replace_range(start..=end, &form);
            }
        }
        text
    }
}

/// Where the site serves the interface's texts in `lang` (`assets/i18n`, copied by Trunk).
pub fn site_file(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "i18n/ui.en.json",
        Lang::Ja => "i18n/ui.ja.json",
    }
}

/// The site file of the interface in one language: every text in the order of the table.
#[derive(serde::Serialize, serde::Deserialize)]
struct TextsFile {
    note: String,
    texts: Vec<String>,
}

/// Makes `text` (the content of `lang`'s site file) the texts `Text::get(lang)` gives.
pub fn install(lang: Lang, text: &str) -> Result<(), String> {
    let file_name = site_file(lang);
    let file: TextsFile = moat_model::tracked::from_json(text).map_err(|e| format!("{file_name}: {e}"))?;
    if file.texts.len() != Text::ALL.len() {
        return Err(format!(
            "{file_name} has {} texts where this version of Moat has {}; reload the page",
            file.texts.len(),
            Text::ALL.len()
        ));
    }
    let texts: Vec<&'static str> = file.texts.into_iter().map(|t| &*Box::leak(t.into_boxed_str())).collect();
    SITE_TEXTS.with(|site| {
        let _ = site[lang as usize].set(texts);
    });
    Ok(())
}

/// Whether the interface's texts in `lang` are there to show (always, outside the browser).
pub fn ready(lang: Lang) -> bool {
    cfg!(not(target_arch = "wasm32")) || SITE_TEXTS.with(|site| site[lang as usize].get().is_some())
}

/// Reads the interface's texts in `lang` from the site once; the error names the file.
pub async fn read(lang: Lang) -> Result<(), String> {
    if ready(lang) {
        return Ok(());
    }
    let text = crate::browser::fetch_text(site_file(lang)).await?;
    install(lang, &text)
}

/// A text as the site file of `lang` gives it, once read.
#[cfg(target_arch = "wasm32")]
fn from_site_file(lang: Lang, text: Text) -> Option<&'static str> {
    SITE_TEXTS.with(|site| site[lang as usize].get().and_then(|texts| texts.get(text as usize).copied()))
}

/// The site file's content for the table's texts in `lang` (see
/// `tests::the_site_files_match_the_table`).
#[cfg(not(target_arch = "wasm32"))]
pub fn texts_file(lang: Lang) -> String {
    let language = match lang {
        Lang::En => "English",
        Lang::Ja => "Japanese",
    };
    let file = TextsFile {
        note: format!(
            "The {language} of the interface, in the order of crates/web/src/i18n.rs, which is its source: \
             edit it there (a test writes this file)."
        ),
        texts: Text::ALL
            .iter()
            .map(|text| match lang {
                Lang::En => text.en_in_table(),
                Lang::Ja => text.ja_in_table(),
            })
            .map(str::to_owned)
            .collect(),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}

thread_local! {
    /// The interface's texts in the browser, by language, once read from the site.
    static SITE_TEXTS: [std::cell::OnceCell<Vec<&'static str>>; 2] =
        const { [std::cell::OnceCell::new(), std::cell::OnceCell::new()] };
    /// The language in effect, for code that runs outside a view (the reducer's hints, the
    /// crash banner, storage errors). Views use the context (`use_lang`) so they re-render.
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

pub fn set_current(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// `text` in the language in effect.
pub fn tr(text: Text) -> &'static str {
    text.get(current())
}

/// `text` in the language in effect, filled in.
pub fn trf(text: Text, values: &[(&str, &dyn Display)]) -> String {
    text.fill(current(), values)
}

/// The language of the interface, from the app's context (English outside the app).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The other language: what the language button switches to.
pub fn other(lang: Lang) -> Lang {
    match lang {
        Lang::En => Lang::Ja,
        Lang::Ja => Lang::En,
    }
}

/// The language to start in: `?lang=` in the page's query, else the choice saved by the
/// language button, else the first of the browser's languages that is Japanese or English.
pub fn choose(query: &str, saved: Option<&str>, browser: &[String]) -> Lang {
    let asked = query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "lang")
        .and_then(|(_, value)| Lang::parse(value));
    asked.or_else(|| saved.and_then(Lang::parse)).unwrap_or_else(|| {
        browser
            .iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
                Lang::parse(&primary)
            })
            .unwrap_or(Lang::En)
    })
}

/// The query string with `lang` set to `lang`, if it names one; else `None` (the URL is
/// left as it is).
pub fn with_lang_in_query(query: &str, lang: Lang) -> Option<String> {
    let pairs: Vec<&str> = query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).collect();
    if !pairs.iter().any(|p| p.split('=').next() == Some("lang")) {
        return None;
    }
    let rewritten: Vec<String> = pairs
        .into_iter()
        .map(|p| if p.split('=').next() == Some("lang") { format!("lang={}", lang.as_str()) } else { p.to_owned() })
        .collect();
    Some(format!("?{}", rewritten.join("&")))
}

/// The name of an element kind, as the palette and the inspector show it.
pub fn kind_name(kind: ElementKind, lang: Lang) -> &'static str {
    let text = match kind {
        ElementKind::Region => Text::KindRegion,
        ElementKind::OnPremises => Text::KindOnPremises,
        ElementKind::Internet => Text::KindInternet,
        ElementKind::Vnet => Text::KindVnet,
        ElementKind::Subnet => Text::KindSubnet,
        ElementKind::Vm => Text::KindVm,
        ElementKind::DedicatedHost => Text::KindDedicatedHost,
        ElementKind::Nsg => Text::KindNsg,
        ElementKind::Asg => Text::KindAsg,
        ElementKind::RouteTable => Text::KindRouteTable,
        ElementKind::Firewall => Text::KindFirewall,
        ElementKind::Nva => Text::KindNva,
        ElementKind::VpnGateway => Text::KindVpnGateway,
        ElementKind::ExpressRouteGateway => Text::KindExpressRouteGateway,
        ElementKind::Bastion => Text::KindBastion,
        ElementKind::LoadBalancer => Text::KindLoadBalancer,
        ElementKind::AppGateway => Text::KindAppGateway,
        ElementKind::KeyVault => Text::KindKeyVault,
        ElementKind::RecoveryVault => Text::KindRecoveryVault,
        ElementKind::PrivateDnsZone => Text::KindPrivateDnsZone,
        ElementKind::TrafficManager => Text::KindTrafficManager,
        ElementKind::FrontDoor => Text::KindFrontDoor,
    };
    text.get(lang)
}

/// The name of a link kind, in menus and the inspector.
pub fn link_name(kind: LinkKind, lang: Lang) -> &'static str {
    moat_model::drawing::link_kind_name(kind, lang)
}

pub fn severity_name(severity: Severity, lang: Lang) -> &'static str {
    let text = match severity {
        Severity::Error => Text::SeverityError,
        Severity::Warning => Text::SeverityWarning,
        Severity::Info => Text::SeverityInfo,
    };
    text.get(lang)
}

pub fn area_name(area: Area, lang: Lang) -> &'static str {
    let text = match area {
        Area::Availability => Text::AreaAvailability,
        Area::Network => Text::AreaNetwork,
        Area::Hybrid => Text::AreaHybrid,
        Area::Management => Text::AreaManagement,
        Area::Isolation => Text::AreaIsolation,
        Area::Encryption => Text::AreaEncryption,
        Area::Backup => Text::AreaBackup,
        Area::Region => Text::AreaRegion,
        Area::Governance => Text::AreaGovernance,
        Area::Monitoring => Text::AreaMonitoring,
    };
    text.get(lang)
}

/// A built-in template's title and description in `lang`; the model's English for a
/// template this table does not know.
pub fn template_text(template: &moat_model::templates::Template, lang: Lang) -> (&'static str, &'static str) {
    let texts = match template.name {
        "n-tier" => Some((Text::TemplateNTier, Text::TemplateNTierAbout)),
        "hub-spoke-dmz" => Some((Text::TemplateHubSpoke, Text::TemplateHubSpokeAbout)),
        "multi-region" => Some((Text::TemplateMultiRegion, Text::TemplateMultiRegionAbout)),
        "isolated-consolidated" => Some((Text::TemplateIsolated, Text::TemplateIsolatedAbout)),
        "dedicated-host" => Some((Text::TemplateDedicatedHost, Text::TemplateDedicatedHostAbout)),
        _ => None,
    };
    match (texts, lang) {
        (Some((title, about)), Lang::Ja) => (title.ja(), about.ja()),
        _ => (template.title, template.description),
    }
}

// The table's Japanese is only in native builds (see `Text::ja`).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        // `{n:one|many}` names the placeholder `n` too.
        let mut found: Vec<&str> = (text.split('{').skip(1))
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.split(':').next().unwrap_or(name)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn every_text_is_in_english_and_japanese() {
        for text in Text::ALL {
            assert!(!text.en().trim().is_empty(), "{text:?} has no English");
            assert!(!text.ja().trim().is_empty(), "{text:?} has no Japanese");
            assert_eq!(placeholders(text.en()), placeholders(text.ja()), "{text:?}: the placeholders differ");
            assert!(
                text.en() != text.ja() || SAME_IN_BOTH.contains(text),
                "{text:?} is not translated (add it to SAME_IN_BOTH if it is a name)"
            );
        }
    }

    #[test]
    fn the_texts_shown_before_the_english_file_is_read_are_the_tables() {
        for text in Text::ALL {
            if let Some(english) = text.before_the_site_file() {
                assert_eq!(english, text.en_in_table());
            }
        }
        assert!(Text::CannotStart.before_the_site_file().is_some());
    }

    /// `MOAT_UPDATE_DOCS=1 cargo test -p moat-web the_site_files` rewrites the files.
    #[test]
    fn the_site_files_match_the_table() {
        for lang in [Lang::En, Lang::Ja] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets").join(site_file(lang));
            let expected = texts_file(lang);
            if std::env::var_os("MOAT_UPDATE_DOCS").is_some() {
                std::fs::write(&path, &expected).unwrap();
            }
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                on_disk == expected,
                "{} is out of date: run MOAT_UPDATE_DOCS=1 cargo test -p moat-web",
                path.display()
            );
            install(lang, &on_disk).unwrap();
        }
    }

    #[test]
    fn japanese_uses_half_width_spaces_and_parentheses_as_microsoft_docs_do() {
        for text in Text::ALL {
            for ch in ['\u{3000}', '（', '）'] {
                assert!(!text.ja().contains(ch), "{text:?} has {ch:?}: {}", text.ja());
            }
        }
    }

    #[test]
    fn every_kind_severity_area_and_template_has_names_in_both_languages() {
        for kind in ElementKind::ALL {
            assert!(!kind_name(*kind, Lang::Ja).is_empty() && !kind_name(*kind, Lang::En).is_empty());
        }
        for kind in LinkKind::ALL {
            assert!(!link_name(*kind, Lang::Ja).is_empty());
        }
        for template in moat_model::templates::templates() {
            let (title, about) = template_text(template, Lang::Ja);
            assert_ne!(title, template.title, "{} has no Japanese title", template.name);
            assert_ne!(about, template.description, "{} has no Japanese description", template.name);
            assert_eq!(template_text(template, Lang::En), (template.title, template.description));
        }
        assert_eq!(kind_name(ElementKind::Nsg, Lang::Ja), "ネットワーク セキュリティ グループ");
        assert_eq!(severity_name(Severity::Warning, Lang::Ja), "警告");
        assert_eq!(area_name(Area::Network, Lang::En), "network");
    }

    #[test]
    fn filling_replaces_every_placeholder() {
        let text = Text::TabFindings.fill(Lang::Ja, &[("error", &1), ("warning", &2), ("info", &3)]);
        assert_eq!(text, "検出結果: エラー 1 件、警告 2 件、情報 3 件");
        assert_eq!(Text::LinkAs.fill(Lang::En, &[("from", &"a"), ("to", &"b")]), "Link a to b as:");
        let counts =
            |e: usize, w: usize| Text::TabFindings.fill(Lang::En, &[("error", &e), ("warning", &w), ("info", &1)]);
        assert_eq!(counts(1, 2), "Findings: 1 error, 2 warnings, 1 info");
        assert_eq!(counts(0, 1), "Findings: 0 errors, 1 warning, 1 info");
    }

    #[test]
    fn the_query_then_the_saved_choice_then_the_browser_decide_the_language() {
        let browser = |tags: &[&str]| tags.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        assert_eq!(choose("?lang=ja", Some("en"), &browser(&["en-US"])), Lang::Ja);
        assert_eq!(choose("?x=1&lang=EN", Some("ja"), &browser(&["ja"])), Lang::En);
        assert_eq!(choose("?lang=fr", Some("ja"), &browser(&["en"])), Lang::Ja, "an unknown code is ignored");
        assert_eq!(choose("", Some("en"), &browser(&["ja-JP"])), Lang::En);
        assert_eq!(choose("", None, &browser(&["ja-JP", "en-US"])), Lang::Ja);
        assert_eq!(choose("", None, &browser(&["fr-FR", "ja"])), Lang::Ja, "the first language Moat speaks");
        assert_eq!(choose("", None, &browser(&["de"])), Lang::En);
        assert_eq!(choose("", None, &[]), Lang::En);
    }

    #[test]
    fn switching_rewrites_a_lang_in_the_query_and_leaves_other_queries() {
        assert_eq!(with_lang_in_query("?lang=ja", Lang::En).as_deref(), Some("?lang=en"));
        assert_eq!(with_lang_in_query("?a=1&lang=ja&b=2", Lang::En).as_deref(), Some("?a=1&lang=en&b=2"));
        assert_eq!(with_lang_in_query("", Lang::Ja), None);
        assert_eq!(with_lang_in_query("?a=1", Lang::Ja), None);
    }
}

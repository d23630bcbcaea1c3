<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
    <context>
        <name>@default</name>
        <message>
            <location filename="../smartcity_qgis/algorithms/provider.py" line="29" />
            <source>Could not load algorithms from {0}: {1}</source>
            <translation>{0} からアルゴリズムを読み込めませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/provider.py" line="48" />
            <source>SmartCity QGIS — city OS, people flow, hazards and planning</source>
            <translation>SmartCity QGIS — 都市OS・人流・ハザード・計画</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="34" />
            <source>SmartCity</source>
            <translation>スマートシティ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/plugin_ui.py" line="68" />
            <source>Panels</source>
            <translation>パネル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/plugin_ui.py" line="89" />
            <source>Could not set up {0}: {1}</source>
            <translation>{0} を準備できませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="44" />
            <source>Show SmartCity tools in the Processing Toolbox</source>
            <translation>プロセシングツールボックスでスマートシティのツールを表示</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="65" />
            <source>SmartCity QGIS {0}</source>
            <translation>SmartCity QGIS {0}（スマートシティ）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="66" />
            <source>City-OS live layers, people flow, hazard zones, pilot districts and planning figures.</source>
            <translation>都市OSのライブレイヤ、人流、ハザード区域、先行地区、計画書用の地図。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="67" />
            <source>QGIS {0}</source>
            <translation>QGIS {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="68" />
            <source>Processing algorithms: {0}</source>
            <translation>プロセシングアルゴリズム: {0} 件</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="185" />
            <source>SmartCity panel</source>
            <translation>スマートシティパネル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="81" />
            <source>Hazard exposure</source>
            <translation>ハザード曝露集計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="45" />
            <source>Hazards and rivers</source>
            <translation>ハザード・河川</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="87" />
            <source>For each zone (district, mesh cell or any polygon) and each hazard rank, the area in m² (measured in the zone's plane-rectangular CRS), the population (mesh polygons shared out by area, or weighted points) and the number of features (shelters, sensors) inside. The hazard is a polygon layer with a rank field (e.g. 国土数値情報 A31a) or a GeoTIFF of ranks or depths in metres. Where ranks overlap, a place counts under its highest rank.</source>
            <translation>区域（地区、メッシュ、任意のポリゴン）とハザードのランクごとに、面積（m²、区域の平面直角座標系で計測）、人口（メッシュポリゴンは面積按分、ポイントは重み付き）、区域内の地物数（避難所、センサーなど）を集計します。ハザードはランク属性を持つポリゴンレイヤ（国土数値情報 A31a など）か、ランクまたは浸水深（m）の GeoTIFF です。ランクが重なる場所は最も高いランクで数えます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="96" />
            <source>Hazard polygons or raster</source>
            <translation>ハザードのポリゴンまたはラスタ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="103" />
            <source>Rank field (polygon hazards)</source>
            <translation>ランク属性（ポリゴンのハザード）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="56" />
            <source>Zones</source>
            <translation>集計区域</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="57" />
            <source>Zone id field</source>
            <translation>区域IDの属性</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="115" />
            <source>Population (mesh polygons or points)</source>
            <translation>人口（メッシュポリゴンまたはポイント）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Population field</source>
            <translation>人口の属性</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="132" />
            <source>Features to count (shelters, sensors)</source>
            <translation>数える地物（避難所、センサー）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="140" />
            <source>Exposure</source>
            <translation>曝露集計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="177" />
            <source>The hazard layer could not be opened.</source>
            <translation>ハザードレイヤを開けませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="180" />
            <source>The hazard layer must have polygons.</source>
            <translation>ハザードレイヤはポリゴンでなければなりません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="182" />
            <source>Choose the rank field of the hazard polygons.</source>
            <translation>ハザードポリゴンのランク属性を選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="190" />
            <source>A hazard raster must be a GeoTIFF file on disk.</source>
            <translation>ハザードのラスタはディスク上の GeoTIFF ファイルでなければなりません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="192" />
            <source>The hazard must be a polygon layer or a raster.</source>
            <translation>ハザードはポリゴンレイヤかラスタでなければなりません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="205" />
            <source>The zone id field {0} is not in the zones layer.</source>
            <translation>区域IDの属性 {0} が集計区域レイヤにありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="213" />
            <source>Choose the population field of the population mesh.</source>
            <translation>人口メッシュの人口属性を選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="262" />
            <source>{0} zones measured in EPSG:{1}</source>
            <translation>{0} 区域を EPSG:{1} で計測しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="107" />
            <source>Connection {0} cannot be used: {1}</source>
            <translation>接続 {0} は使用できません: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="114" />
            <source>The QGIS authentication system is not available.</source>
            <translation>QGIS の認証システムが利用できません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="120" />
            <source>Authentication configuration {0} was not found or could not be unlocked.</source>
            <translation>認証設定 {0} が見つからないか、ロックを解除できませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="132" />
            <source>Authentication method {0} cannot be used for a city OS: choose Basic, API header or OAuth2.</source>
            <translation>認証方式 {0} は都市OSには使えません。Basic、API ヘッダー、OAuth2 のいずれかを選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="139" />
            <source>Authentication configuration {0} holds no token.</source>
            <translation>認証設定 {0} にトークンがありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="178" />
            <source>OAuth2 configuration {0} has no token URL (predefined OAuth2 configurations are not supported).</source>
            <translation>OAuth2 設定 {0} にトークン URL がありません (定義済みの OAuth2 設定には対応していません)。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="200" />
            <source>OAuth2 configuration {0}: use the resource owner grant, or give a client secret.</source>
            <translation>OAuth2 設定 {0}: リソースオーナー (パスワード) 方式を使うか、クライアントシークレットを設定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_status.py" line="36" />
            <source>connected</source>
            <translation>接続済み</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_status.py" line="38" />
            <source>connecting…</source>
            <translation>接続中…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_status.py" line="40" />
            <source>reconnecting (since {0})</source>
            <translation>再接続中 ({0} から)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_status.py" line="42" />
            <source>offline since {0}</source>
            <translation>{0} からオフライン</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_status.py" line="43" />
            <source>not connected yet</source>
            <translation>未接続</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="85" />
            <source>The connection needs a name.</source>
            <translation>接続名を入力してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="89" />
            <source>The URL must start with http:// or https:// and name a host.</source>
            <translation>URL は http:// または https:// で始まり、ホスト名を含む必要があります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="91" />
            <source>Do not put a user name or password in the URL: choose an authentication configuration.</source>
            <translation>URL にユーザー名やパスワードを含めないでください。認証設定を選択してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="113" />
            <source>Unknown NGSI flavor: {0}</source>
            <translation>不明な NGSI の種類です: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="115" />
            <source>A tenant has at most 50 letters, digits or underscores.</source>
            <translation>テナントは英数字またはアンダースコア 50 文字以内です。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="118" />
            <source>Service path {0} must be absolute, like /river or /river/#.</source>
            <translation>サービスパス {0} は /river や /river/# のように / から始めてください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="120" />
            <source>At most 10 service paths can be queried together.</source>
            <translation>同時に問い合わせできるサービスパスは 10 個までです。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="122" />
            <source>The timeout must be between 1 and 600 seconds.</source>
            <translation>タイムアウトは 1〜600 秒で指定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="125" />
            <source>The area of interest must be west, south, east, north in degrees.</source>
            <translation>対象範囲は 西, 南, 東, 北 の順に度で指定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="138" />
            <source>A connection entry must be a JSON object.</source>
            <translation>接続の項目は JSON オブジェクトである必要があります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="143" />
            <source>A connection entry has no name.</source>
            <translation>名前のない接続の項目があります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="166" />
            <source>Connection {0} has an unusable value: {1}</source>
            <translation>接続 {0} に使用できない値があります: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="340" />
            <source>The demo city OS connection is built in and cannot be changed.</source>
            <translation>デモ都市OSの接続は組み込みのため変更できません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="299" />
            <source>A connection called {0} already exists.</source>
            <translation>接続 {0} はすでにあります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="330" />
            <source>The demo city OS connection is built in and cannot be removed.</source>
            <translation>デモ都市OSの接続は組み込みのため削除できません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="349" />
            <source>There is no connection called {0}.</source>
            <translation>接続 {0} はありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="350" />
            <source>{0} (copy)</source>
            <translation>{0} (コピー)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="354" />
            <source>The demo city OS has no fixed address to copy.</source>
            <translation>デモ都市OSには複製できる固定のアドレスがありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="398" />
            <source>The file is not valid JSON: {0}</source>
            <translation>ファイルが正しい JSON ではありません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="406" />
            <source>The file is not a SmartCity connections file.</source>
            <translation>このファイルはスマートシティの接続ファイルではありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="412" />
            <source>Ignored secret fields in {0}: secrets belong in the QGIS authentication database.</source>
            <translation>{0} の秘密情報の項目は読み込みませんでした。秘密情報は QGIS の認証データベースに保存してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/geometry.py" line="32" />
            <source>The geometry is empty</source>
            <translation>ジオメトリが空です</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/geometry.py" line="73" />
            <source>Select the features that make up the district first</source>
            <translation>先に地区とする地物を選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/geometry.py" line="85" />
            <source>Points and lines need a buffer distance in metres to make a district</source>
            <translation>点や線から地区を作るにはバッファ距離（m）を指定してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/geometry.py" line="88" />
            <source>The selection does not make an area</source>
            <translation>選択した地物から面を作れません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/geometry.py" line="96" />
            <source>Choose a mesh layer (polygons) and select its cells</source>
            <translation>メッシュレイヤ（ポリゴン）を選び、セルを選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="60" />
            <source>District name</source>
            <translation>地区名</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="61" />
            <source>Domain</source>
            <translation>分野</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="62" />
            <source>Phase</source>
            <translation>段階</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="63" />
            <source>Goal and vision</source>
            <translation>目標・ビジョン</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="64" />
            <source>Main initiatives</source>
            <translation>主な取組内容</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="65" />
            <source>KPI (outcome)</source>
            <translation>KPI（アウトカム）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="66" />
            <source>KPI (outcome) target value</source>
            <translation>KPI（アウトカム）目標値</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="67" />
            <source>KPI (outcome) unit</source>
            <translation>KPI（アウトカム）単位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="68" />
            <source>KPI (outcome) target year</source>
            <translation>KPI（アウトカム）目標年次</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="69" />
            <source>KPI (output)</source>
            <translation>KPI（アウトプット）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="70" />
            <source>KPI (output) target value</source>
            <translation>KPI（アウトプット）目標値</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="71" />
            <source>KPI (output) unit</source>
            <translation>KPI（アウトプット）単位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="72" />
            <source>KPI (output) target year</source>
            <translation>KPI（アウトプット）目標年次</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="73" />
            <source>Lead body</source>
            <translation>推進主体</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="74" />
            <source>Notes</source>
            <translation>備考</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="75" />
            <source>Created</source>
            <translation>作成日時</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="76" />
            <source>Updated</source>
            <translation>更新日時</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="109" />
            <source>Choose a value from the list</source>
            <translation>一覧から選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="119" />
            <source>A district needs a name</source>
            <translation>地区名を入力してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="124" />
            <source>A target year between {0} and {1}</source>
            <translation>目標年次は {0}～{1} 年の範囲で入力してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="159" />
            <source>District file not found: {0}</source>
            <translation>地区ファイルが見つかりません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="163" />
            <source>Cannot create the district file: {0}</source>
            <translation>地区ファイルを作成できません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="168" />
            <source>Pilot districts</source>
            <translation>先行地区</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="170" />
            <source>{0} is not a district GeoPackage</source>
            <translation>{0} は先行地区の GeoPackage ではありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="179" />
            <source>Pilot district form</source>
            <translation>先行地区の入力フォーム</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="225" />
            <source>District {0} cannot be saved: {1}</source>
            <translation>地区 {0} を保存できません: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="244" />
            <source>The districts were not saved: {0}</source>
            <translation>先行地区は保存されませんでした: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="264" />
            <source>The district has no area</source>
            <translation>地区に面積がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="266" />
            <source>A district must be a polygon</source>
            <translation>地区はポリゴンで指定してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="272" />
            <source>The district layer cannot be edited</source>
            <translation>先行地区レイヤを編集できません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="276" />
            <source>Add district</source>
            <translation>地区を追加</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="279" />
            <source>The district could not be added</source>
            <translation>地区を追加できませんでした</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_loader.py" line="85" />
            <source>Loaded {0} entities</source>
            <translation>{0} 件のエンティティを読み込みました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_loader.py" line="87" />
            <source>; {0} entities could not be used</source>
            <translation>、{0} 件のエンティティは使用できませんでした</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_loader.py" line="89" />
            <source>; {0} warnings</source>
            <translation>、警告 {0} 件</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_loader.py" line="91" />
            <source> (cancelled)</source>
            <translation>（中止）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_loader.py" line="96" />
            <source>Entities that could not be used:</source>
            <translation>使用できなかったエンティティ:</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_loader.py" line="99" />
            <source>Warnings:</source>
            <translation>警告:</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="72" />
            <source>River water level</source>
            <translation>河川水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="73" />
            <source>People count</source>
            <translation>人流カウント</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="74" />
            <source>Air quality</source>
            <translation>大気質</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="75" />
            <source>Streetlights</source>
            <translation>街路灯</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="79" />
            <source>Parking</source>
            <translation>駐車場</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="80" />
            <source>Points of interest</source>
            <translation>施設・避難所</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="81" />
            <source>Weather</source>
            <translation>気象</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="82" />
            <source>Traffic flow</source>
            <translation>交通量</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="83" />
            <source>Noise level</source>
            <translation>騒音</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="96" />
            <source>points</source>
            <translation>ポイント</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="96" />
            <source>lines</source>
            <translation>ライン</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="96" />
            <source>polygons</source>
            <translation>ポリゴン</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_loader.py" line="121" />
            <source>The extent must be west, south, east, north in degrees.</source>
            <translation>範囲は西・南・東・北の順に度で指定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_loader.py" line="371" />
            <source>Loading {0} from the city OS</source>
            <translation>都市OSから {0} を読み込み中</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/history_layer.py" line="172" />
            <source>Loading was cancelled.</source>
            <translation>読み込みを中止しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>The city OS does not know this entity or type.</source>
            <translation>都市OSにこのエンティティまたはタイプがありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>The city OS refused the request.</source>
            <translation>都市OSがリクエストを受け付けませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>The city OS answer is too large.</source>
            <translation>都市OSの応答が大きすぎます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>The city OS reported an error.</source>
            <translation>都市OSがエラーを返しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>The connection settings cannot be used.</source>
            <translation>接続設定を使用できません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_task.py" line="217" />
            <source>Cancelled.</source>
            <translation>キャンセルしました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="42" />
            <source>Give a saved connection name or a city OS URL.</source>
            <translation>保存済みの接続名または都市OSの URL を指定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="52" />
            <source>There is no saved city OS connection named {0}.</source>
            <translation>{0} という名前の都市OS接続は保存されていません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="73" />
            <source>Load city OS entities</source>
            <translation>都市OSのエンティティを読み込む</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="126" />
            <source>City OS</source>
            <translation>都市OS</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="79" />
            <source>Loads the entities of one type from a city OS (FIWARE Orion NGSI-v2, or NGSI-LD brokers such as Orion-LD and Scorpio) into a point, line or polygon layer in EPSG:4326.

CONNECTION: the name of a saved connection (credentials come from the QGIS authentication database), or a broker URL; a URL may carry ?tenant=…&amp;service_path=…&amp;flavor=ngsi-v2|ngsi-ld, otherwise the flavor is detected.
ENTITY_TYPE: the NGSI entity type, e.g. WaterObserved.
EXTENT: load only entities inside this extent (optional).
ATTRIBUTES: comma-separated attribute names to load (optional, default all).

Entities that cannot be used are listed in the log with their id and reason. When a type mixes geometry types, the output holds the most common one and the log says how many entities of the other types were left out.</source>
            <translation>都市OS（FIWARE Orion の NGSI-v2、または Orion-LD・Scorpio などの NGSI-LD ブローカー）から、1 つのエンティティタイプを EPSG:4326 のポイント・ライン・ポリゴンレイヤとして読み込みます。

CONNECTION: 保存済みの接続名（認証情報は QGIS の認証データベースから取得）またはブローカーの URL。URL には ?tenant=…&amp;service_path=…&amp;flavor=ngsi-v2|ngsi-ld を付けられます。付けない場合は方式を自動判定します。
ENTITY_TYPE: NGSI のエンティティタイプ（例: WaterObserved）。
EXTENT: この範囲内のエンティティだけを読み込みます（省略可）。
ATTRIBUTES: 読み込む属性名をカンマ区切りで指定します（省略時はすべて）。

使用できないエンティティは ID と理由をログに出力します。ジオメトリの種類が混在するタイプでは、最も多い種類を出力し、出力しなかった他の種類の件数をログに示します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="97" />
            <source>Connection name or URL</source>
            <translation>接続名または URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Entity type</source>
            <translation>エンティティタイプ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="101" />
            <source>Extent</source>
            <translation>範囲</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="97" />
            <source>Attributes (comma-separated)</source>
            <translation>属性（カンマ区切り）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="100" />
            <source>City OS entities</source>
            <translation>都市OSのエンティティ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="109" />
            <source>Give an entity type.</source>
            <translation>エンティティタイプを指定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="125" />
            <source>{0} entities with {1} geometries are not in the output.</source>
            <translation>{1} ジオメトリの {0} 件のエンティティは出力に含まれていません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="129" />
            <source>Entity {0} left out: {1}</source>
            <translation>エンティティ {0} を除外しました: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_cityos.py" line="131" />
            <source>… and {0} more</source>
            <translation>…ほか {0} 件</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="66" />
            <source>The .dbf file is truncated.</source>
            <translation>.dbf ファイルが途中で切れています。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="123" />
            <source>The attribute text is neither UTF-8 nor Shift_JIS (CP932); the file may be damaged.</source>
            <translation>属性の文字が UTF-8 でも Shift_JIS（CP932）でもありません。ファイルが壊れている可能性があります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="132" />
            <source>The Shapefile {0} has no .dbf file with its attributes.</source>
            <translation>シェープファイル {0} に属性の .dbf ファイルがありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="165" />
            <source>{0} is not a readable zip file: {1}</source>
            <translation>{0} は読み込める zip ファイルではありません: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="169" />
            <source>The zip file holds too many files ({0}).</source>
            <translation>zip ファイルに含まれるファイルが多すぎます（{0} 個）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="172" />
            <source>The zip file would expand to {0} MB, more than allowed.</source>
            <translation>zip ファイルを展開すると {0} MB になり、上限を超えます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="175" />
            <source>The zip file looks like a zip bomb and was not opened.</source>
            <translation>zip ファイルが zip 爆弾のように見えるため開きませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="195" />
            <source>The zip file expands beyond what it declares; not opened.</source>
            <translation>zip ファイルが申告より大きく展開されるため開きませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="239" />
            <source>{0} is not a Shapefile, a zip or a GeoJSON file.</source>
            <translation>{0} はシェープファイル、zip、GeoJSON のいずれでもありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="241" />
            <source>{0} could not be read as vector data.</source>
            <translation>{0} をベクタデータとして読み込めませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="243" />
            <source>{0} has no polygons, so it is not a hazard zone file.</source>
            <translation>{0} にはポリゴンがないため、ハザード区域のファイルではありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="246" />
            <source>{0} is not a 国土数値情報 hazard file (A31a, A31b, A33 or A40): its fields are {1}.</source>
            <translation>{0} は国土数値情報のハザードファイル（A31a、A31b、A33、A40）ではありません。属性: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="268" />
            <source>{0} does not exist.</source>
            <translation>{0} は存在しません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/files.py" line="273" />
            <source>The zip file {0} holds no Shapefile or GeoJSON.</source>
            <translation>zip ファイル {0} にシェープファイルも GeoJSON もありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/kinds.py" line="102" />
            <source>Flood inundation, planned scale</source>
            <translation>洪水浸水想定区域（計画規模）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/kinds.py" line="103" />
            <source>Flood inundation, maximum assumed scale</source>
            <translation>洪水浸水想定区域（想定最大規模）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/kinds.py" line="104" />
            <source>Flood inundation duration</source>
            <translation>浸水継続時間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/kinds.py" line="105" />
            <source>Zones of house collapse by flooding</source>
            <translation>家屋倒壊等氾濫想定区域</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/kinds.py" line="108" />
            <source>Sediment disaster warning zones</source>
            <translation>土砂災害警戒区域</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/kinds.py" line="109" />
            <source>Tsunami inundation</source>
            <translation>津波浸水想定</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/history_layer.py" line="59" />
            <source>City OS history</source>
            <translation>都市OSの履歴</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/history_layer.py" line="125" />
            <source>History: {0}</source>
            <translation>履歴: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/history_layer.py" line="138" />
            <source>Loading history from the city OS</source>
            <translation>都市OSから履歴を読み込み中</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/live.py" line="105" />
            <source>Unknown live mode: {0}</source>
            <translation>不明なライブモードです: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/live.py" line="112" />
            <source>Layer {0} is not a city OS layer.</source>
            <translation>レイヤ {0} は都市OSのレイヤではありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_layer_meta.py" line="158" />
            <source>{0} (offline)</source>
            <translation>{0}（オフライン）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/live.py" line="396" />
            <source>The push connection was lost.</source>
            <translation>プッシュ通知の接続が切れました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/map_tips.py" line="122" />
            <source>just now</source>
            <translation>たった今</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/map_tips.py" line="124" />
            <source>{0} min ago</source>
            <translation>{0} 分前</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/map_tips.py" line="125" />
            <source>{0} h ago</source>
            <translation>{0} 時間前</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/map_tips.py" line="149" />
            <source>Observed</source>
            <translation>観測日時</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/snapshot.py" line="86" />
            <source>Could not write the snapshot {0}: {1}</source>
            <translation>スナップショット {0} を書き込めませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/snapshot.py" line="94" />
            <source>The snapshot {0} cannot be read.</source>
            <translation>スナップショット {0} を読み込めません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/snapshot.py" line="311" />
            <source>Live mode of {0} cannot resume: {1}</source>
            <translation>{0} のライブ更新を再開できません: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="241" />
            <source>Zone {0} lies outside Japan's plane-rectangular zones.</source>
            <translation>区域 {0} は日本の平面直角座標系の範囲外にあります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="44" />
            <source>Edit city OS connection</source>
            <translation>都市OSの接続を編集</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="44" />
            <source>New city OS connection</source>
            <translation>新しい都市OSの接続</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="140" />
            <source>Name</source>
            <translation>名前</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="62" />
            <source>URL</source>
            <translation>URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="65" />
            <source>Detect from /version</source>
            <translation>/version から判定</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="71" />
            <source>Flavor</source>
            <translation>種類</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="74" />
            <source>Fiware-Service / NGSILD-Tenant, e.g. okazaki</source>
            <translation>Fiware-Service / NGSILD-Tenant (例: okazaki)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="75" />
            <source>Tenant</source>
            <translation>テナント</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="78" />
            <source>/ or /river,/crowd/# (comma-separated)</source>
            <translation>/ または /river,/crowd/# (カンマ区切り)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="79" />
            <source>Service paths</source>
            <translation>サービスパス</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="82" />
            <source>NGSI-LD @context URL (optional)</source>
            <translation>NGSI-LD の @context の URL (任意)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="83" />
            <source>@context</source>
            <translation>@context</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="86" />
            <source>QuantumLeap URL for NGSI-v2 history (optional)</source>
            <translation>NGSI-v2 の履歴用 QuantumLeap の URL (任意)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="87" />
            <source>Time-series URL</source>
            <translation>時系列 URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="96" />
            <source>Connection</source>
            <translation>接続</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="148" />
            <source>Verify the TLS certificate</source>
            <translation>TLS 証明書を検証する</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="153" />
            <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
            <translation>証明書 (*.pem *.crt *.cer);;すべてのファイル (*)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="154" />
            <source>CA bundle</source>
            <translation>CA 証明書</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="159" />
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="160" />
            <source>Timeout</source>
            <translation>タイムアウト</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="161" />
            <source>Security and network</source>
            <translation>セキュリティとネットワーク</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="165" />
            <source>Area of interest: points outside it whose latitude and longitude look swapped are flagged.</source>
            <translation>対象範囲: 範囲外の点で緯度と経度が入れ替わっていそうなものに警告を付けます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="169" />
            <source>Not set</source>
            <translation>未設定</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="175" />
            <source>Area of interest</source>
            <translation>対象範囲</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="177" />
            <source>Test connection</source>
            <translation>接続テスト</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="183" />
            <source>Connecting to {0}…</source>
            <translation>{0} に接続中…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="268" />
            <source>Detected flavor: {0}</source>
            <translation>判定した種類: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="272" />
            <source>Not connected: {0}</source>
            <translation>接続できません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="38" />
            <source>City OS connections</source>
            <translation>都市OSの接続</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="155" />
            <source>Add…</source>
            <translation>追加…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="155" />
            <source>Edit…</source>
            <translation>編集…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="53" />
            <source>Duplicate</source>
            <translation>複製</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="155" />
            <source>Remove</source>
            <translation>削除</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="53" />
            <source>Test</source>
            <translation>テスト</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="53" />
            <source>Import…</source>
            <translation>読み込み…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="53" />
            <source>Export…</source>
            <translation>書き出し…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="67" />
            <source>Export authentication configuration ids</source>
            <translation>認証設定の ID を書き出す</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="68" />
            <source>Only the id of each QGIS authentication configuration is written, never a token or password.</source>
            <translation>QGIS の認証設定の ID だけを書き出します。トークンやパスワードは書き出しません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="93" />
            <source>Embedded demo city OS</source>
            <translation>内蔵のデモ都市OS</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="168" />
            <source>Remove connection</source>
            <translation>接続を削除</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="168" />
            <source>Remove the connection {0}?</source>
            <translation>接続 {0} を削除しますか？</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="186" />
            <source>{0}: not connected: {1}</source>
            <translation>{0}: 接続できません: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="204" />
            <source>Import connections</source>
            <translation>接続を読み込む</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="204" />
            <source>Connections (*.json);;All files (*)</source>
            <translation>接続 (*.json);;すべてのファイル (*)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="212" />
            <source>Could not read {0}: {1}</source>
            <translation>{0} を読み込めませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="219" />
            <source>Imported {0} connections.</source>
            <translation>接続を {0} 件読み込みました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="227" />
            <source>Export connections</source>
            <translation>接続を書き出す</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="227" />
            <source>Connections (*.json)</source>
            <translation>接続 (*.json)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/layers_export.py" line="144" />
            <source>Could not write {0}: {1}</source>
            <translation>{0} を書き出せませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="242" />
            <source>Exported the connections to {0}.</source>
            <translation>接続を {0} に書き出しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="66" />
            <source>Hazard file</source>
            <translation>ハザードファイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="34" />
            <source>{0} could not be read: {1}</source>
            <translation>{0} を読み込めませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="42" />
            <source>Some files in {0} were not hazard layers: {1}</source>
            <translation>{0} の中にハザードレイヤではないファイルがありました: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="55" />
            <source>Add hazard layer</source>
            <translation>ハザードレイヤを追加</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="55" />
            <source>国土数値情報 hazard files (*.shp *.zip *.geojson *.json);;All files (*)</source>
            <translation>国土数値情報のハザードファイル (*.shp *.zip *.geojson *.json);;すべてのファイル (*)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="66" />
            <source>Added {0} hazard layer(s).</source>
            <translation>ハザードレイヤを {0} 件追加しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="112" />
            <source>Add hazard layer…</source>
            <translation>ハザードレイヤを追加…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="118" />
            <source>Add hazard/base map tiles</source>
            <translation>ハザード・背景地図タイルを追加</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_probe.py" line="46" />
            <source>connected: {0}, {1} types</source>
            <translation>接続済み: {0}、{1} 種類</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_probe.py" line="47" />
            <source>connected: {0}, {1} types, {2} entities</source>
            <translation>接続済み: {0}、{1} 種類、{2} エンティティ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_probe.py" line="61" />
            <source>Embedded city OS</source>
            <translation>内蔵都市OS</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_probe.py" line="112" />
            <source>Connecting to {0}</source>
            <translation>{0} に接続中</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="69" />
            <source>Flood inundation, maximum assumed scale (tiles)</source>
            <translation>洪水浸水想定区域（想定最大規模）タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="70" />
            <source>Flood inundation, planned scale (tiles)</source>
            <translation>洪水浸水想定区域（計画規模）タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="71" />
            <source>Flood inundation duration (tiles)</source>
            <translation>浸水継続時間タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="72" />
            <source>House collapse zones, flood flow (tiles)</source>
            <translation>家屋倒壊等氾濫想定区域（氾濫流）タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="73" />
            <source>House collapse zones, bank erosion (tiles)</source>
            <translation>家屋倒壊等氾濫想定区域（河岸侵食）タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="74" />
            <source>Storm surge inundation (tiles)</source>
            <translation>高潮浸水想定区域タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="75" />
            <source>Tsunami inundation (tiles)</source>
            <translation>津波浸水想定タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="76" />
            <source>Debris flow warning zones (tiles)</source>
            <translation>土砂災害警戒区域（土石流）タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="77" />
            <source>Steep slope failure warning zones (tiles)</source>
            <translation>土砂災害警戒区域（急傾斜地の崩壊）タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="78" />
            <source>Landslide warning zones (tiles)</source>
            <translation>土砂災害警戒区域（地すべり）タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="79" />
            <source>GSI standard map</source>
            <translation>地理院地図（標準地図）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="80" />
            <source>GSI pale map</source>
            <translation>地理院地図（淡色地図）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/hazards/tiles.py" line="81" />
            <source>GSI aerial photographs</source>
            <translation>地理院地図（写真）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="50" />
            <source>The points are outside Japan: no plane-rectangular zone fits them.</source>
            <translation>点が日本国外にあるため、平面直角座標系を決められません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="70" />
            <source>Kernel density heatmap</source>
            <translation>カーネル密度ヒートマップ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="113" />
            <source>People flow and JIS mesh</source>
            <translation>人流・地域メッシュ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="76" />
            <source>A heatmap raster (GeoTIFF, people per km²) of points, optionally weighted by a field such as a people count. Radius and pixel size are in metres, in the plane-rectangular zone of the area (平面直角座標系, EPSG:6669–6687). Kernels: quartic (default), triangular, uniform, Epanechnikov; values agree with QGIS's own heatmap algorithm. Privacy by default: pixels whose radius holds fewer than k people are left empty; their number is reported.</source>
            <translation>点（人数などの属性で重み付け可）からヒートマップのラスタ（GeoTIFF、人/km²）を作成します。半径とピクセルサイズはメートル単位で、対象地域の平面直角座標系（EPSG:6669〜6687）で計算します。カーネル：四次（既定）、三角、一様、エパネチニコフ。値は QGIS 標準のヒートマップアルゴリズムと一致します。プライバシー保護が既定です：半径内の人数が k 人未満のピクセルは空欄にし、その数を報告します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="85" />
            <source>Points</source>
            <translation>点</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="86" />
            <source>Weight field (people per point; empty = 1 each)</source>
            <translation>重み属性（点ごとの人数。空欄 = 各 1 人）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="95" />
            <source>Radius (m)</source>
            <translation>半径（m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="100" />
            <source>Pixel size (m)</source>
            <translation>ピクセルサイズ（m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="105" />
            <source>Kernel</source>
            <translation>カーネル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="105" />
            <source>Quartic</source>
            <translation>四次（クォーティック）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="105" />
            <source>Triangular</source>
            <translation>三角</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="105" />
            <source>Uniform</source>
            <translation>一様</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="105" />
            <source>Epanechnikov</source>
            <translation>エパネチニコフ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="114" />
            <source>Heatmap</source>
            <translation>ヒートマップ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="115" />
            <source>Pixels left empty (fewer than k people)</source>
            <translation>空欄にしたピクセル数（k 人未満）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="116" />
            <source>CRS of the heatmap</source>
            <translation>ヒートマップの座標参照系</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="232" />
            <source>{0} features without geometry or weight were skipped.</source>
            <translation>ジオメトリまたは重みのない地物 {0} 件をスキップしました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="238" />
            <source>The input layer could not be opened.</source>
            <translation>入力レイヤを開けませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="245" />
            <source>The weight field {0} does not exist.</source>
            <translation>重み属性 {0} がありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="166" />
            <source>The point layer is empty.</source>
            <translation>点レイヤに地物がありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="168" />
            <source>Heatmap in {0}.</source>
            <translation>ヒートマップの座標参照系: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="174" />
            <source>No usable points.</source>
            <translation>使用できる点がありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="196" />
            <source>The heatmap could not be computed: {0}</source>
            <translation>ヒートマップを計算できませんでした: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kde.py" line="200" />
            <source>{0} pixels with fewer than {1} people within the radius were left empty.</source>
            <translation>半径内の人数が {1} 人未満の {0} ピクセルを空欄にしました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="94" />
            <source>Mesh level</source>
            <translation>メッシュ階層</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="50" />
            <source>Minimum people per published cell (k-anonymity; 0 = publish everything)</source>
            <translation>公表するセルの最少人数（k-匿名性。0 = すべて公表）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="63" />
            <source>Privacy rule switched off (k={0}): cells of fewer than 10 people may be published.</source>
            <translation>プライバシー保護を無効にしました（k={0}）：10 人未満のセルが公表される可能性があります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="72" />
            <source>{0} cells with fewer than {1} people were not published.</source>
            <translation>{1} 人未満の {0} セルは公表しませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="74" />
            <source>No cell had to be suppressed (k = {0}).</source>
            <translation>秘匿が必要なセルはありませんでした（k = {0}）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="87" />
            <source>Create JIS mesh grid</source>
            <translation>地域メッシュ（JIS）を作成</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="93" />
            <source>Polygons of every JIS X 0410 regional mesh cell (地域メッシュ) of the chosen level over an extent, in JGD2011 (EPSG:6668), with the cell's code and the codes of every larger level containing it. Codes are exact at cell edges: a point on a south or west edge belongs to the cell north or east of it.</source>
            <translation>指定範囲を覆う、選んだ階層の JIS X 0410 地域メッシュのポリゴンを JGD2011（EPSG:6668）で作成します。各セルのメッシュコードと、それを含む上位階層すべてのメッシュコードを属性に持ちます。コードはセル境界でも正確です（南端・西端上の点は、その北側・東側のセルに属します）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="103" />
            <source>Mesh grid</source>
            <translation>メッシュ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="104" />
            <source>Number of cells</source>
            <translation>セル数</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="236" />
            <source>Unknown mesh level: {0}</source>
            <translation>不明なメッシュ階層です: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="113" />
            <source>Choose an extent.</source>
            <translation>範囲を指定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="118" />
            <source>The extent holds too many cells for this level; choose a larger level or a smaller extent.</source>
            <translation>この階層では範囲内のセルが多すぎます。より大きい階層か、より狭い範囲を選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="193" />
            <source>Could not create the output layer.</source>
            <translation>出力レイヤを作成できませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="136" />
            <source>{0} cells of {1}.</source>
            <translation>{1} のセル {0} 個。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="153" />
            <source>Aggregate to JIS mesh</source>
            <translation>地域メッシュに集計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="159" />
            <source>Counts points (or sums a weight field, e.g. a people count) per JIS mesh cell of the chosen level. Polygons (e.g. a finer mesh layer) are assigned by their centre to the cell containing it, so choose a level at least as large as the input cells. Privacy by default: cells standing for fewer than k people (10, the MLIT publication rule) are not written; their number is reported. Set k to 0 only when the result stays internal.</source>
            <translation>選んだ階層の地域メッシュごとに、点の数（または人数などの重み属性の合計）を集計します。ポリゴン（より細かいメッシュのレイヤなど）は中心点を含むセルに割り当てるため、入力セル以上の大きさの階層を選んでください。プライバシー保護が既定です：k 人（国土交通省の公表基準と同じ 10 人）未満のセルは出力せず、その数を報告します。k を 0 にするのは、結果を内部でのみ使う場合に限ってください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="168" />
            <source>Points or mesh polygons</source>
            <translation>点またはメッシュポリゴン</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="173" />
            <source>Weight field (people per feature; empty = 1 each)</source>
            <translation>重み属性（地物ごとの人数。空欄 = 各 1 人）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="184" />
            <source>People per mesh cell</source>
            <translation>メッシュ別人数</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="155" />
            <source>Cells suppressed (fewer than k people)</source>
            <translation>秘匿したセル数（k 人未満）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="188" />
            <source>Cells written</source>
            <translation>出力したセル数</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="217" />
            <source>Input polygons are larger than {0} cells: choose a larger mesh level.</source>
            <translation>入力ポリゴンが {0} のセルより大きいため、より大きいメッシュ階層を選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_mesh.py" line="253" />
            <source>{0} features outside Japan's mesh were skipped.</source>
            <translation>地域メッシュ（日本）の範囲外の地物 {0} 件をスキップしました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="110" />
            <source>Import MLIT people-flow data</source>
            <translation>人流オープンデータ（国土交通省）の読み込み</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="116" />
            <source>Reads one or many monthly_mdp_mesh1km.csv files of 全国の人流オープンデータ (MLIT), or the zip files (zips of zips) as published, into a 1 km mesh polygon layer with year, month, day type (休日/平日/全日), time zone (昼/深夜/終日), population and a date field that QGIS's Temporal Controller steps month by month. Rows that cannot be read are skipped and reported. Cells with fewer than k people are not written. Credit: 出典：「全国の人流オープンデータ」（国土交通省）</source>
            <translation>全国の人流オープンデータ（国土交通省）の monthly_mdp_mesh1km.csv（複数可）、または公開形式のままの zip（zip の入れ子）を読み込み、年・月・平休日区分（休日/平日/全日）・時間帯（昼/深夜/終日）・人口と、QGIS の時系列コントローラで月ごとに表示できる日付属性を持つ 1km メッシュのポリゴンレイヤを作成します。読めない行はスキップして報告します。k 人未満のセルは出力しません。出典：「全国の人流オープンデータ」（国土交通省）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="126" />
            <source>People-flow CSV or zip files</source>
            <translation>人流データの CSV または zip ファイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="131" />
            <source>Day types to keep (empty = all)</source>
            <translation>対象の平休日区分（空欄 = すべて）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="131" />
            <source>Holidays (休日)</source>
            <translation>休日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="131" />
            <source>Weekdays (平日)</source>
            <translation>平日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="131" />
            <source>All days (全日)</source>
            <translation>全日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="140" />
            <source>Time zones to keep (empty = all)</source>
            <translation>対象の時間帯（空欄 = すべて）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="140" />
            <source>Daytime 11-14h (昼)</source>
            <translation>昼（11〜14時台）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="140" />
            <source>Late night 1-4h (深夜)</source>
            <translation>深夜（1〜4時台）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="140" />
            <source>All day (終日)</source>
            <translation>終日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="150" />
            <source>People flow</source>
            <translation>人流</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="153" />
            <source>Rows written</source>
            <translation>出力した行数</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="154" />
            <source>Rows skipped as unreadable</source>
            <translation>読めずにスキップした行数</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="167" />
            <source>Choose at least one people-flow file.</source>
            <translation>人流データのファイルを 1 つ以上選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="171" />
            <source>Reading {0} file(s)…</source>
            <translation>{0} 個のファイルを読み込んでいます…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="175" />
            <source>These files are not MLIT people-flow data or could not be read safely: {0}</source>
            <translation>人流オープンデータではないか、安全に読み込めないファイルです: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="182" />
            <source>Skipped {0} line {1}: {2}</source>
            <translation>スキップ: {0} の {1} 行目: {2}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="184" />
            <source>… and {0} more skipped rows.</source>
            <translation>…ほかに {0} 行をスキップしました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_peopleflow.py" line="195" />
            <source>{0} rows written; {1} rows skipped.</source>
            <translation>{0} 行を出力し、{1} 行をスキップしました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_tree.py" line="33" />
            <source>Entities / state</source>
            <translation>エンティティ数 / 状態</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_tree.py" line="74" />
            <source>Expand to connect…</source>
            <translation>展開すると接続します…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_tree.py" line="128" />
            <source>No entity types</source>
            <translation>エンティティの種類がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="94" />
            <source>mqtt://host:1883 of the broker's MQTT server, for MQTT push (optional)</source>
            <translation>MQTT プッシュ用のブローカーの MQTT サーバー mqtt://host:1883 (任意)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="95" />
            <source>MQTT URL</source>
            <translation>MQTT URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/load_notice.py" line="27" />
            <source>Entities that could not be used</source>
            <translation>使用できなかったエンティティ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/load_notice.py" line="30" />
            <source>(no id)</source>
            <translation>(ID なし)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/load_notice.py" line="29" />
            <source>left out</source>
            <translation>除外</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/load_notice.py" line="30" />
            <source>warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/load_notice.py" line="33" />
            <source>Entity id</source>
            <translation>エンティティ ID</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/load_notice.py" line="33" />
            <source>Reason</source>
            <translation>理由</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="135" />
            <source>Kind</source>
            <translation>種別</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/load_notice.py" line="68" />
            <source>Details</source>
            <translation>詳細</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="99" />
            <source>The MQTT URL must look like mqtt://host:1883.</source>
            <translation>MQTT URL は mqtt://host:1883 の形式で入力してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/alerts.py" line="60" />
            <source>River level alerts</source>
            <translation>河川水位アラート</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/alerts.py" line="113" />
            <source>The alert log did not accept the new rows.</source>
            <translation>アラート記録に行を追加できませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/alerts.py" line="124" />
            <source>Export the alert log as .gpkg, .geojson or .csv.</source>
            <translation>アラート記録は .gpkg、.geojson、.csv のいずれかで書き出してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/alerts.py" line="162" />
            <source>The alert log could not be written to {0}: {1}</source>
            <translation>アラート記録を {0} に書き出せませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="109" />
            <source>The layer {0} cannot take new fields.</source>
            <translation>レイヤ {0} に属性を追加できません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="204" />
            <source>The layer {0} did not accept the computed levels.</source>
            <translation>レイヤ {0} に計算した水位レベルを書き込めませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="212" />
            <source>Level 5: flooding (levee crown reached)</source>
            <translation>レベル5：氾濫発生（堤防高以上）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="213" />
            <source>Level 4: flood danger level (氾濫危険水位)</source>
            <translation>レベル4：氾濫危険水位以上</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="214" />
            <source>Level 3: evacuation decision level (避難判断水位)</source>
            <translation>レベル3：避難判断水位以上</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="215" />
            <source>Level 2: flood caution level (氾濫注意水位)</source>
            <translation>レベル2：氾濫注意水位以上</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="216" />
            <source>Level 1: flood-fighting standby level (水防団待機水位)</source>
            <translation>レベル1：水防団待機水位以上</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="217" />
            <source>Below the standby level</source>
            <translation>水防団待機水位未満</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="231" />
            <source>No recent reading</source>
            <translation>最近の観測値なし</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="239" />
            <source>Level unknown</source>
            <translation>レベル不明</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="249" />
            <source>{0} m to the next level</source>
            <translation>次のレベルまで {0} m</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/style.py" line="250" />
            <source>no recent reading</source>
            <translation>観測値が古い</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_40_hazard.py" line="85" />
            <source>River water levels</source>
            <translation>河川水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_40_hazard.py" line="188" />
            <source>Synthetic flood zones (Okazaki, A31a schema)</source>
            <translation>洪水浸水想定区域（岡崎市・合成データ、A31a 形式）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_40_hazard.py" line="235" />
            <source>River water levels over the flood zones (Okazaki)</source>
            <translation>洪水浸水想定区域と河川水位（岡崎市）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="54" />
            <source>City OS chart</source>
            <translation>都市OSグラフ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="161" />
            <source>last {0}</source>
            <translation>過去 {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="165" />
            <source>Refresh</source>
            <translation>更新</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="169" />
            <source>Save…</source>
            <translation>保存…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="259" />
            <source>Select a city OS layer and some of its features.</source>
            <translation>都市OSのレイヤとその地物を選択してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="437" />
            <source>History could not be loaded: {0}</source>
            <translation>履歴を読み込めませんでした: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="289" />
            <source>Loading history…</source>
            <translation>履歴を読み込み中…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="387" />
            <source>{0} observations of {1} sensors</source>
            <translation>センサー {1} 基の観測値 {0} 件</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="444" />
            <source>No observations in this period</source>
            <translation>この期間の観測値はありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="453" />
            <source>Save chart</source>
            <translation>グラフを保存</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="453" />
            <source>PNG image (*.png);;SVG drawing (*.svg)</source>
            <translation>PNG 画像 (*.png);;SVG 図 (*.svg)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="467" />
            <source>Saved the chart to {0}.</source>
            <translation>グラフを {0} に保存しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="111" />
            <source>Filter types and attributes</source>
            <translation>種類と属性で絞り込み</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="114" />
            <source>Refresh the entity types</source>
            <translation>エンティティの種類を更新</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="114" />
            <source>Manage connections…</source>
            <translation>接続の管理…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="132" />
            <source>Only the current map extent</source>
            <translation>現在の地図の範囲のみ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="135" />
            <source>Only the ticked attributes</source>
            <translation>チェックした属性のみ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="138" />
            <source>Add layer</source>
            <translation>レイヤを追加</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="143" />
            <source>Live mode of the current layer</source>
            <translation>現在のレイヤのライブモード</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="149" />
            <source>Off</source>
            <translation>オフ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="149" />
            <source>Polling</source>
            <translation>ポーリング</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="149" />
            <source>MQTT push</source>
            <translation>MQTT プッシュ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="149" />
            <source>HTTP push</source>
            <translation>HTTP プッシュ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="163" />
            <source>Polling interval (push modes also catch up at this interval)</source>
            <translation>ポーリング間隔 (プッシュ方式でもこの間隔で取りこぼしを補います)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="165" />
            <source>Apply</source>
            <translation>適用</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="177" />
            <source>History</source>
            <translation>履歴</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="179" />
            <source>Last</source>
            <translation>過去</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="184" />
            <source> h</source>
            <translation> 時間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="56" />
            <source>Load history as layer</source>
            <translation>履歴をレイヤとして読み込む</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="188" />
            <source>Observations of the selected features (numeric attributes) as a layer for the Temporal Controller</source>
            <translation>選択した地物の観測値 (数値の属性) を時系列コントローラ用のレイヤにします</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="325" />
            <source>Loading {0} from {1}…</source>
            <translation>{1} から {0} を読み込み中…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="354" />
            <source>{0} could not be loaded: {1}</source>
            <translation>{0} を読み込めませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="413" />
            <source>Select a city OS layer first.</source>
            <translation>先に都市OSのレイヤを選択してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="402" />
            <source>Live mode is off for {0}.</source>
            <translation>{0} のライブモードをオフにしました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="404" />
            <source>Live mode {0} for {1}.</source>
            <translation>{1} のライブモード: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="424" />
            <source>The layer has no entities or no numeric attributes.</source>
            <translation>このレイヤにはエンティティまたは数値の属性がありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="445" />
            <source>History layer {0}: {1} observations. Open the Temporal Controller to animate it.</source>
            <translation>履歴レイヤ {0}: 観測値 {1} 件。時系列コントローラを開くとアニメーション表示できます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="45" />
            <source>City OS panel</source>
            <translation>都市OSパネル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="48" />
            <source>City OS connections…</source>
            <translation>都市OSの接続…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="56" />
            <source>Live mode: polling</source>
            <translation>ライブモード: ポーリング</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="56" />
            <source>Live mode: MQTT push</source>
            <translation>ライブモード: MQTT プッシュ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="56" />
            <source>Live mode: HTTP push</source>
            <translation>ライブモード: HTTP プッシュ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="56" />
            <source>Live mode: off</source>
            <translation>ライブモード: オフ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/ui_cityos.py" line="56" />
            <source>Chart of the selected sensors</source>
            <translation>選択したセンサーのグラフ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="36" />
            <source>1st mesh (80 km)</source>
            <translation>第1次メッシュ（80km）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="37" />
            <source>2nd mesh (10 km)</source>
            <translation>第2次メッシュ（10km）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="38" />
            <source>5x mesh (5 km)</source>
            <translation>5倍地域メッシュ（5km）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="39" />
            <source>2x mesh (2 km)</source>
            <translation>2倍地域メッシュ（2km）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="40" />
            <source>3rd mesh (1 km)</source>
            <translation>第3次メッシュ（1km）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="41" />
            <source>1/2 mesh (500 m)</source>
            <translation>2分の1地域メッシュ（500m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="42" />
            <source>1/4 mesh (250 m)</source>
            <translation>4分の1地域メッシュ（250m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="43" />
            <source>1/8 mesh (125 m)</source>
            <translation>8分の1地域メッシュ（125m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="44" />
            <source>1/10 mesh (100 m)</source>
            <translation>10分の1細分メッシュ（100m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="61" />
            <source>JIS mesh codes</source>
            <translation>地域メッシュコード</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="68" />
            <source>Move the cursor over the map.</source>
            <translation>地図上にカーソルを置いてください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="80" />
            <source>Copy codes</source>
            <translation>コードをコピー</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="100" />
            <source>This position cannot be converted to latitude and longitude.</source>
            <translation>この位置は緯度経度に変換できません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="104" />
            <source>Outside the JIS mesh (Japan only).</source>
            <translation>地域メッシュの範囲外です（日本国内のみ）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="106" />
            <source>Latitude {0:.6f}, longitude {1:.6f}</source>
            <translation>緯度 {0:.6f}、経度 {1:.6f}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_mesh_panel.py" line="133" />
            <source>JIS mesh codes panel</source>
            <translation>地域メッシュコードパネル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_30_peopleflow.py" line="141" />
            <source>People flow (synthetic)</source>
            <translation>人流（合成データ）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_30_peopleflow.py" line="161" />
            <source>Noon and night (synthetic)</source>
            <translation>昼と深夜（合成データ）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_40_hazard.py" line="195" />
            <source>Flood depth</source>
            <translation>浸水深</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="32" />
            <source>People-flow mesh layer</source>
            <translation>人流メッシュレイヤ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="37" />
            <source>Daytime population field</source>
            <translation>昼間人口のフィールド</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="46" />
            <source>Night-time population field</source>
            <translation>夜間人口のフィールド</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="55" />
            <source>Flood hazard zones</source>
            <translation>洪水浸水想定区域</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="60" />
            <source>Depth rank field</source>
            <translation>浸水深ランクのフィールド</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="65" />
            <source>City OS entity layers to count</source>
            <translation>集計する都市OSエンティティのレイヤ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="73" />
            <source>River stations</source>
            <translation>水位観測所</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="81" />
            <source>Alert level field</source>
            <translation>警戒レベルのフィールド</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="86" />
            <source>Stations within (metres)</source>
            <translation>観測所の検索距離（m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/district_dock.py" line="36" />
            <source>District fact sheet</source>
            <translation>先行地区ファクトシート</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="173" />
            <source>Pilot districts and planning</source>
            <translation>先行地区と計画資料</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="123" />
            <source>For each pilot district: area in hectares (in its plane-rectangular zone), daytime and night-time population from a people-flow mesh by area share, flood hazard exposure by depth rank, counts of city OS entities by type, river stations nearby with their alert level, and the KPI table. A figure whose input is not given is shown as unavailable. Output: a table and an optional CSV.</source>
            <translation>先行地区ごとに、面積（ha、その地区の平面直角座標系で計算）、人流メッシュから面積按分した昼間・夜間人口、浸水深ランク別の浸水想定区域、種類別の都市OSエンティティ数、近傍の水位観測所と警戒レベル、KPI一覧をまとめます。入力がない項目は「データなし」と表示します。出力はテーブルと CSV（任意）です。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/district_dock.py" line="53" />
            <source>Fact sheet</source>
            <translation>ファクトシート</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="140" />
            <source>Fact sheet CSV</source>
            <translation>ファクトシート CSV</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="140" />
            <source>CSV files (*.csv)</source>
            <translation>CSV ファイル (*.csv)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="222" />
            <source>No district layer was given</source>
            <translation>先行地区レイヤが指定されていません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_districts.py" line="165" />
            <source>Fact sheets for {0} districts</source>
            <translation>{0} 地区のファクトシートを作成しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/layers_export.py" line="70" />
            <source>Layer {0} is marked as people flow but has no population field</source>
            <translation>レイヤ {0} は人流データとされていますが、人数のフィールドがありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/layers_export.py" line="89" />
            <source>Privacy rule: {0}</source>
            <translation>プライバシー保護のルール: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/layers_export.py" line="112" />
            <source>The layers have no features to place</source>
            <translation>レイヤに位置を決められる地物がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/layers_export.py" line="134" />
            <source>CSV with X/Y columns needs a point layer: {0}</source>
            <translation>X/Y 列の CSV にはポイントレイヤが必要です: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/layers_export.py" line="179" />
            <source>Unknown export format: {0}</source>
            <translation>不明な出力形式です: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/layers_export.py" line="182" />
            <source>Choose at least one vector layer to export</source>
            <translation>書き出すベクタレイヤを1つ以上選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/layers_export.py" line="194" />
            <source>These files exist already and were left untouched: {0}</source>
            <translation>次のファイルは既に存在するため、変更していません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_features.py" line="131" />
            <source>The geometry is empty.</source>
            <translation>ジオメトリが空です。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_features.py" line="88" />
            <source>Geometry type {0} is not supported.</source>
            <translation>ジオメトリの種類 {0} には対応していません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_features.py" line="141" />
            <source>A multi-point cannot be stored in a single-point layer.</source>
            <translation>マルチポイントはシングルポイントのレイヤに保存できません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_features.py" line="146" />
            <source>The {0} geometry could not be converted.</source>
            <translation>{0} ジオメトリを変換できませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/live_apply.py" line="216" />
            <source>There is no {0} layer for this entity type.</source>
            <translation>このエンティティタイプには {0} のレイヤがありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="31" />
            <source>GeoPackage (all layers in one file, with styles)</source>
            <translation>GeoPackage（全レイヤを1ファイルに、スタイル付き）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="32" />
            <source>GeoJSON (RFC 7946, WGS 84)</source>
            <translation>GeoJSON（RFC 7946、WGS 84）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="33" />
            <source>Shapefile (UTF-8)</source>
            <translation>シェープファイル（UTF-8）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="34" />
            <source>Shapefile (Shift_JIS / CP932, for older Japanese tools)</source>
            <translation>シェープファイル（Shift_JIS / CP932、従来の国内ソフト向け）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="35" />
            <source>CSV with WKT geometry</source>
            <translation>CSV（WKT ジオメトリ）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="36" />
            <source>CSV with X/Y columns (points)</source>
            <translation>CSV（X/Y 列、ポイント）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="37" />
            <source>KML</source>
            <translation>KML</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="48" />
            <source>Export layers</source>
            <translation>レイヤのエクスポート</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="54" />
            <source>Writes the chosen layers to one GeoPackage (each layer with its style as the default style), or one file per layer as GeoJSON (RFC 7946, WGS 84), Shapefile (UTF-8 or CP932), CSV (WKT or X/Y) or KML. File names are made safe from layer names; existing files are never overwritten unless allowed. People-flow layers lose the cells with fewer than K people.</source>
            <translation>選択したレイヤを1つの GeoPackage（各レイヤのスタイルを既定スタイルとして保存）に、またはレイヤごとに GeoJSON（RFC 7946、WGS 84）、シェープファイル（UTF-8 または CP932）、CSV（WKT または X/Y）、KML に書き出します。ファイル名はレイヤ名から安全な名前に変換し、許可しない限り既存のファイルは上書きしません。人流レイヤは K 人未満のセルを除いて書き出します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="62" />
            <source>Layers</source>
            <translation>レイヤ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="124" />
            <source>Format</source>
            <translation>形式</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="66" />
            <source>Target CRS (empty: keep)</source>
            <translation>出力先の座標参照系（空欄: 変換しない）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="67" />
            <source>Smallest number of people per published cell (k)</source>
            <translation>公開するセルの最小人数（k）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="72" />
            <source>Replace existing files</source>
            <translation>既存のファイルを置き換える</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="73" />
            <source>GeoPackage file name</source>
            <translation>GeoPackage のファイル名</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="74" />
            <source>Output folder</source>
            <translation>出力フォルダ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_export.py" line="96" />
            <source>{0}: {1} cells with too few people were not written</source>
            <translation>{0}: 人数が少ない {1} セルは書き出しませんでした</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="29" />
            <source>River level style</source>
            <translation>河川水位スタイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="31" />
            <source>Choose a point layer of water-level stations.</source>
            <translation>水位観測所のポイントレイヤを選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="35" />
            <source>The layer has no {0} field with the water level.</source>
            <translation>レイヤに水位の属性 {0} がありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="47" />
            <source>The station table cannot be used: {0}</source>
            <translation>観測所表を使えません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="60" />
            <source>{0} stations have no level: {1}</source>
            <translation>{0} 観測所は水位レベルを判定できません: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="67" />
            <source>{0} stations styled by 警戒レベル.</source>
            <translation>{0} 観測所を警戒レベルで表示しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="77" />
            <source>Station table with the reference levels</source>
            <translation>基準水位の観測所表</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="77" />
            <source>CSV files (*.csv *.txt);;All files (*)</source>
            <translation>CSV ファイル (*.csv *.txt);;すべてのファイル (*)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river_style.py" line="90" />
            <source>River level style…</source>
            <translation>河川水位スタイル…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_40_hazard.py" line="219" />
            <source>River water levels (highest reading)</source>
            <translation>河川水位（最高水位）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_40_hazard.py" line="224" />
            <source>Highest river levels of the storm over the flood zones (Okazaki)</source>
            <translation>洪水浸水想定区域と今回の出水の最高水位（岡崎市）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/credits.py" line="80" />
            <source>Synthetic demo data (not real observations)</source>
            <translation>デモ用の合成データ（実際の観測値ではありません）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/credits.py" line="106" />
            <source>Sources: not recorded in the layers' metadata</source>
            <translation>出典：レイヤのメタデータに記録がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="76" />
            <source>Sources: {0}</source>
            <translation>出典：{0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="177" />
            <source>The district layer has no district to show</source>
            <translation>先行地区レイヤに表示する地区がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/figure.py" line="115" />
            <source>Give an extent, a district or layers with features</source>
            <translation>範囲、先行地区、または地物のあるレイヤを指定してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="69" />
            <source>Created {0}</source>
            <translation>作成日 {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/figure.py" line="192" />
            <source>Legend</source>
            <translation>凡例</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/figure.py" line="211" />
            <source>Page size must be A4 or A3, portrait or landscape</source>
            <translation>用紙は A4 または A3、向きは縦または横を指定してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/figure.py" line="267" />
            <source>Unknown figure format: {0}</source>
            <translation>不明な図面形式です: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/figure.py" line="269" />
            <source>The figure could not be written to {0}</source>
            <translation>図面を {0} に書き出せませんでした</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="86" />
            <source>District</source>
            <translation>地区</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="86" />
            <source>Area (ha)</source>
            <translation>面積（ha）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="210" />
            <source>{0} — fact sheet</source>
            <translation>{0} ファクトシート</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="120" />
            <source>Section</source>
            <translation>区分</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="120" />
            <source>Item</source>
            <translation>項目</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="120" />
            <source>Value</source>
            <translation>値</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="135" />
            <source>Unit</source>
            <translation>単位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="134" />
            <source>KPIs</source>
            <translation>KPI一覧</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="135" />
            <source>Indicator</source>
            <translation>指標</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="135" />
            <source>Target</source>
            <translation>目標値</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="135" />
            <source>Target year</source>
            <translation>目標年次</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="188" />
            <source>Planning pack: {0}</source>
            <translation>計画資料: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="157" />
            <source>Crowd heatmap weighted by {0}. The privacy rule is switched off: every counter is drawn.</source>
            <translation>{0} で重み付けした人流ヒートマップです。プライバシー保護の規則は無効です: すべてのカウンタを描画します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="160" />
            <source>Crowd heatmap weighted by {0}. Privacy: counters reporting fewer than {1} people are not drawn (k-anonymity, the MLIT publication rule).</source>
            <translation>{0} で重み付けした人流ヒートマップです。プライバシー保護: {1} 人未満を示すカウンタは描画しません（k-匿名性。国土交通省の公表基準）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="178" />
            <source>A crowd heatmap needs a point layer of people counters.</source>
            <translation>人流ヒートマップには人数カウンタのポイントレイヤが必要です。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="239" />
            <source>The layer {0} has no attribute with a count of people.</source>
            <translation>レイヤ {0} には人数を表す属性がありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="184" />
            <source>The layer {0} has no numeric attribute {1}.</source>
            <translation>レイヤ {0} には数値の属性 {1} がありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="243" />
            <source>The privacy threshold k cannot be used: {0}</source>
            <translation>プライバシー保護のしきい値 k が使えません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="250" />
            <source>{0} on the {1} mesh ({2})</source>
            <translation>{0}（{1} メッシュ、{2}）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/crowd_heatmap.py" line="272" />
            <source>People counted by {0} ({1}) at {2}, summed per {3} mesh cell. Privacy: {4} cells with fewer than {5} people are not included.</source>
            <translation>{2} 時点の {0}（{1}）の人数を {3} メッシュのセルごとに合計したものです。プライバシー保護: {5} 人未満の {4} セルは含めていません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="74" />
            <source>Page size</source>
            <translation>用紙サイズ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="75" />
            <source>Orientation</source>
            <translation>向き</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="75" />
            <source>Portrait</source>
            <translation>縦</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="75" />
            <source>Landscape</source>
            <translation>横</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="99" />
            <source>Planning map figure</source>
            <translation>計画用の地図図面</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="102" />
            <source>Builds a print layout (A4 or A3, portrait or landscape) with title, subtitle and date, the map at the given extent or fitted to the districts (the selected ones, or all), a legend of the visible layers, a metric scale bar, a north arrow, an overview with the district outlined and the sources from the layers' metadata; exports it as PDF, PNG or SVG and keeps the layout in the project.</source>
            <translation>印刷レイアウト（A4 または A3、縦または横）を作成します。タイトル・サブタイトル・日付、指定範囲または先行地区（選択中の地区、なければ全地区）に合わせた地図、表示中のレイヤの凡例、メートル単位の縮尺記号、方位記号、地区を示す索引図、レイヤのメタデータから作る出典を配置し、PDF・PNG・SVG で書き出します。レイアウトはプロジェクトに保存されます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="199" />
            <source>Map layers (top first)</source>
            <translation>地図に表示するレイヤ（上から順に）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="115" />
            <source>Map extent</source>
            <translation>地図の範囲</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="116" />
            <source>Fit to districts</source>
            <translation>先行地区に合わせる</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="204" />
            <source>Title</source>
            <translation>タイトル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="121" />
            <source>Planning map</source>
            <translation>計画図</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="205" />
            <source>Subtitle</source>
            <translation>サブタイトル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="125" />
            <source>Resolution (dpi)</source>
            <translation>解像度（dpi）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="130" />
            <source>Figure file</source>
            <translation>図面ファイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="130" />
            <source>PDF, PNG or SVG (*.pdf *.png *.svg)</source>
            <translation>PDF・PNG・SVG (*.pdf *.png *.svg)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="175" />
            <source>Planning pack</source>
            <translation>計画資料一式</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="178" />
            <source>One PDF to attach to a plan: a cover page listing the pilot districts, then for each district a map page and a fact-sheet page with its KPI table. Re-running it after the data changed reproduces it with the new figures.</source>
            <translation>計画書に添付する1つの PDF を作成します。先行地区の一覧を載せた表紙と、地区ごとの地図ページおよび KPI 表付きのファクトシートページからなります。データの更新後に再実行すると、新しい数値で作り直されます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="204" />
            <source>Pilot district plan</source>
            <translation>先行地区 計画資料</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="217" />
            <source>Planning pack PDF</source>
            <translation>計画資料 PDF</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="217" />
            <source>PDF (*.pdf)</source>
            <translation>PDF ファイル (*.pdf)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="30" />
            <source>Choose a city OS point layer of people counters (for example CrowdFlowObserved).</source>
            <translation>都市OSの人数カウンタのポイントレイヤ（例: CrowdFlowObserved）を選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="119" />
            <source>Crowd heatmap</source>
            <translation>人流ヒートマップ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="45" />
            <source>{0} is drawn as a heatmap of {1}; counters with fewer than {2} people are not drawn.</source>
            <translation>{0} を {1} のヒートマップで表示しました。{2} 人未満のカウンタは描画しません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="150" />
            <source>Snapshot to mesh</source>
            <translation>メッシュに集計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="71" />
            <source>{0} cells of {1} from {2} counters; {3} cells with fewer than {4} people were suppressed.</source>
            <translation>{2} 個のカウンタから {1} メッシュのセル {0} 個を作成しました。{4} 人未満の {3} セルは秘匿しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="75" />
            <source>{0} counters without a count were left out.</source>
            <translation>人数のない {0} 個のカウンタは除外しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="89" />
            <source>Sum the current counts of {0} per mesh cell.</source>
            <translation>{0} の現在の人数をメッシュのセルごとに合計します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="98" />
            <source>Cells with fewer people than this are not included (k-anonymity).</source>
            <translation>この人数未満のセルは含めません（k-匿名性）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="99" />
            <source>Smallest published cell (people)</source>
            <translation>公表するセルの最少人数（人）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="119" />
            <source>Snapshot to mesh…</source>
            <translation>メッシュに集計…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="128" />
            <source>Crowd heatmap of the active layer</source>
            <translation>選択中のレイヤを人流ヒートマップで表示</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/peopleflow/ui_crowd.py" line="130" />
            <source>Snapshot crowd counts to mesh…</source>
            <translation>現在の人数をメッシュに集計…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_35_crowd.py" line="71" />
            <source>People counters</source>
            <translation>人数カウンタ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_35_crowd.py" line="129" />
            <source>fewer people → more people</source>
            <translation>人数 少 → 多</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_35_crowd.py" line="180" />
            <source>Live crowd heatmap over QURUWA ({0})</source>
            <translation>QURUWA の人流ヒートマップ（ライブ、{0}）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/demo/step_35_crowd.py" line="189" />
            <source>City OS time {0}; {1} counters, {2} of them under {3} people and not drawn.</source>
            <translation>都市OSの時刻 {0}。カウンタ {1} 個のうち {2} 個は {3} 人未満のため描画していません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="416" />
            <source>Select a pilot district on the map</source>
            <translation>地図上で先行地区を選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="94" />
            <source>District added: fill in its attributes, then save the districts</source>
            <translation>地区を追加しました。属性を入力してから先行地区を保存してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="124" />
            <source>District from selection</source>
            <translation>選択地物から地区を作成</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="124" />
            <source>Buffer around selected points and lines (metres)</source>
            <translation>選択した点・線の周囲のバッファ（m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="155" />
            <source>There is no district layer in the project</source>
            <translation>プロジェクトに先行地区レイヤがありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="162" />
            <source>Saved {0} districts</source>
            <translation>{0} 地区を保存しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="175" />
            <source>Draw a pilot district</source>
            <translation>先行地区を描画</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="178" />
            <source>District from selection…</source>
            <translation>選択地物から地区を作成…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="181" />
            <source>District from mesh cells</source>
            <translation>メッシュセルから地区を作成</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="184" />
            <source>Save pilot districts</source>
            <translation>先行地区を保存</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="187" />
            <source>District fact sheet panel</source>
            <translation>先行地区ファクトシートパネル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="199" />
            <source>Export layers…</source>
            <translation>レイヤのエクスポート…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="205" />
            <source>Planning map figure…</source>
            <translation>計画用の地図図面…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="217" />
            <source>Planning pack…</source>
            <translation>計画資料一式…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/live_controls.py" line="101" />
            <source>MQTT push needs the MQTT URL of the broker: set it in the connection, or use HTTP push.</source>
            <translation>MQTT プッシュにはブローカーの MQTT URL が必要です。接続に設定するか、HTTP プッシュを使ってください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/geometry.py" line="44" />
            <source>The area ({0:.4f}, {1:.4f}) lies outside Japan's plane-rectangular zones</source>
            <translation>位置（{0:.4f}, {1:.4f}）は日本の平面直角座標系の範囲外です</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_manager.py" line="96" />
            <source>{0} (damaged)</source>
            <translation>{0} (破損)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="110" />
            <source>flood-fighting standby level</source>
            <translation>水防団待機水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="111" />
            <source>flood caution level</source>
            <translation>氾濫注意水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="112" />
            <source>evacuation decision level</source>
            <translation>避難判断水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="113" />
            <source>flood danger level</source>
            <translation>氾濫危険水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="114" />
            <source>levee crown height</source>
            <translation>堤防高</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="134" />
            <source>Station {0} reached the {1} (level {2}).</source>
            <translation>{0}観測所が{1}（レベル{2}）に達しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="137" />
            <source>Station {0} fell below the {1} (now level {2}).</source>
            <translation>{0}観測所が{1}を下回りました（現在レベル{2}）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="88" />
            <source>{0} d ago</source>
            <translation>{0} 日前</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="92" />
            <source>rising</source>
            <translation>上昇</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="92" />
            <source>falling</source>
            <translation>下降</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="92" />
            <source>steady</source>
            <translation>横ばい</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river.py" line="91" />
            <source>River levels</source>
            <translation>河川水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="150" />
            <source>Level</source>
            <translation>レベル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="150" />
            <source>Station</source>
            <translation>観測所</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="450" />
            <source>Water level (m)</source>
            <translation>水位（m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="150" />
            <source>Trend</source>
            <translation>傾向</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="150" />
            <source>To next level</source>
            <translation>次のレベルまで</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="150" />
            <source>Last reading</source>
            <translation>最終観測</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="197" />
            <source>Export alert log…</source>
            <translation>アラート履歴を書き出す…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="355" />
            <source>{0} stations</source>
            <translation>観測所 {0} か所</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="355" />
            <source>No river station layer in the project.</source>
            <translation>プロジェクトに水位観測所のレイヤがありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="357" />
            <source>{0} without a recent reading</source>
            <translation>最近の観測値なし {0} か所</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="374" />
            <source>{0} m</source>
            <translation>{0} m</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="379" />
            <source>{0} (no recent reading)</source>
            <translation>{0}（最近の観測値なし）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="484" />
            <source>No level crossing has been recorded yet.</source>
            <translation>水位レベルの変化はまだ記録されていません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="489" />
            <source>Export alert log</source>
            <translation>アラート履歴の書き出し</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="489" />
            <source>GeoPackage (*.gpkg);;GeoJSON (*.geojson);;CSV (*.csv)</source>
            <translation>GeoPackage ファイル (*.gpkg);;GeoJSON ファイル (*.geojson);;CSV ファイル (*.csv)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="503" />
            <source>Alert log written to {0}.</source>
            <translation>アラート履歴を {0} に書き出しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="214" />
            <source>The river layer {0} cannot be watched: {1}</source>
            <translation>河川レイヤ {0} は監視できません：{1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="62" />
            <source>Live: changes appear on the map as they arrive.</source>
            <translation>ライブ: 変化が届きしだい地図に反映します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="68" />
            <source>Reconnecting; the layer keeps its last data: {0}</source>
            <translation>再接続中 (レイヤは最後のデータを表示しています): {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="400" />
            <source>Not live</source>
            <translation>ライブではありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>The city OS redirected to another host; the credentials were not sent there.</source>
            <translation>都市OSが別のホストへリダイレクトしました。認証情報はそのホストへ送っていません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>A Python package this connection needs is not installed.</source>
            <translation>この接続に必要な Python パッケージがインストールされていません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="139" />
            <source>Token or API key: API header (QGIS 3.26+), or Basic with the user name header:NAME (e.g. header:apikey for Kong) and the key as password; OAuth2 for Keyrock or Keycloak (OpenID Connect):</source>
            <translation>トークンまたは API キー: API ヘッダー（QGIS 3.26 以降）、または Basic でユーザー名を header:ヘッダー名（Kong なら header:apikey）、パスワードをキーにします。Keyrock や Keycloak（OpenID Connect）には OAuth2 を使います:</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="146" />
            <source>API header configuration {0} must hold exactly one header (the token or API key).</source>
            <translation>API ヘッダー認証設定 {0} には、トークンまたは API キーのヘッダーを 1 つだけ設定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="164" />
            <source>Basic authentication configuration {0}: use the user name header:NAME (the key as password, sent in the header NAME, e.g. header:apikey), bearer:Authorization or __token__, or the OAuth2 method for a user name and password.</source>
            <translation>Basic 認証設定 {0}: ユーザー名を header:ヘッダー名（パスワード欄のキーをそのヘッダーで送ります。例: header:apikey）、bearer:Authorization または __token__ にしてください。ユーザー名とパスワードでのログインには OAuth2 方式を使ってください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="90" />
            <source>NGSI-LD temporal API (Mintaka) URL, if not the broker's (optional)</source>
            <translation>NGSI-LD テンポラル API（Mintaka）の URL。ブローカーと別の場合（任意）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="91" />
            <source>Temporal API URL</source>
            <translation>テンポラル API URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="102" />
            <source>mqtt://mosquitto:1883 as the broker reaches it (if not the MQTT URL)</source>
            <translation>ブローカーから見た mqtt://mosquitto:1883 など（MQTT URL と異なる場合）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="105" />
            <source>MQTT URL for the broker</source>
            <translation>ブローカー用の MQTT URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="108" />
            <source>MQTT user and password (Basic authentication configuration):</source>
            <translation>MQTT のユーザー名とパスワード（Basic 認証設定）:</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="112" />
            <source>127.0.0.1, or 0.0.0.0 to listen on every network interface</source>
            <translation>127.0.0.1、またはすべてのネットワークインターフェースで待ち受ける 0.0.0.0</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="113" />
            <source>HTTP push: listen on</source>
            <translation>HTTP プッシュ: 待ち受けアドレス</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="117" />
            <source>any free port</source>
            <translation>空いている任意のポート</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="118" />
            <source>HTTP push: port</source>
            <translation>HTTP プッシュ: ポート</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="121" />
            <source>http://this-pc.city.lg.jp:8765 or https://gateway/qgis as the broker reaches it</source>
            <translation>ブローカーから見た http://this-pc.city.lg.jp:8765 や https://gateway/qgis など</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="124" />
            <source>HTTP push: URL for the broker</source>
            <translation>HTTP プッシュ: ブローカーが通知を送る URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="125" />
            <source>The broker must be able to reach this URL (firewall, proxy). A fixed port makes the firewall rule possible; the layer says so when no notification arrives.</source>
            <translation>ブローカーからこの URL に届く必要があります（ファイアウォール、プロキシ）。ポートを固定するとファイアウォールの規則を設定できます。通知が届かないときはレイヤがそう知らせます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/connection_dialog.py" line="133" />
            <source>Push</source>
            <translation>プッシュ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="102" />
            <source>MQTT</source>
            <translation>MQTT</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="229" />
            <source>proxy</source>
            <translation>プロキシ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_config.py" line="249" />
            <source>The {0} authentication configuration {1} is missing or is not Basic.</source>
            <translation>{0} の認証設定 {1} が見つからないか、Basic 方式ではありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_migration.py" line="39" />
            <source>The MQTT URL of connection {0} holds a password, and the QGIS authentication database is not available to keep it.</source>
            <translation>接続 {0} の MQTT URL にパスワードが含まれていますが、保管先の QGIS 認証データベースが使えません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_migration.py" line="48" />
            <source>SmartCity MQTT: {0}</source>
            <translation>SmartCity MQTT 認証: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_migration.py" line="52" />
            <source>The MQTT password of connection {0} could not be moved into the QGIS authentication database.</source>
            <translation>接続 {0} の MQTT パスワードを QGIS 認証データベースへ移せませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connection_migration.py" line="65" />
            <source>The MQTT user and password of connection {0} were moved into the QGIS authentication database ({1}).</source>
            <translation>接続 {0} の MQTT ユーザー名とパスワードを QGIS 認証データベース（{1}）へ移しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="109" />
            <source>{0} must start with http:// or https:// and name a host.</source>
            <translation>{0} は http:// または https:// で始まり、ホスト名を含む必要があります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="111" />
            <source>The port to listen on for HTTP push must be between 0 and 65535.</source>
            <translation>HTTP プッシュの待ち受けポートは 0〜65535 で指定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="101" />
            <source>Do not put a user name or password in the MQTT URL: choose an MQTT authentication configuration (Basic) on the Push tab of the connection.</source>
            <translation>MQTT URL にユーザー名やパスワードを入れないでください。接続の「プッシュ」タブで MQTT の認証設定（Basic）を選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="66" />
            <source>Waiting for the broker's first notification.</source>
            <translation>ブローカーからの最初の通知を待っています。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/cityos_dock.py" line="70" />
            <source>Not live: {0}</source>
            <translation>ライブではありません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/live_controls.py" line="176" />
            <source>{0}: live mode stopped: {1}</source>
            <translation>{0}: ライブモードを停止しました: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="83" />
            <source>Installing {0}</source>
            <translation>{0} をインストールしています</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="115" />
            <source>Optional packages</source>
            <translation>追加パッケージ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="98" />
            <source>Every optional package is installed.</source>
            <translation>追加パッケージはすべてインストール済みです。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="101" />
            <source>Install {0} with pip into your QGIS profile ({1})? This downloads from the Python Package Index.</source>
            <translation>{0} を pip で QGIS プロファイル（{1}）にインストールしますか？ Python Package Index からダウンロードします。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="113" />
            <source>Installed; restart QGIS to use them.</source>
            <translation>インストールしました。使うには QGIS を再起動してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="113" />
            <source>pip failed: {0}</source>
            <translation>pip が失敗しました: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="191" />
            <source>Install optional packages…</source>
            <translation>追加パッケージをインストール…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/live.py" line="491" />
            <source>The broker cannot deliver notifications to {0}: {1}</source>
            <translation>ブローカーが {0} へ通知を届けられません: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/live.py" line="493" />
            <source>No notification has arrived from the broker in {0} s. If entities changed meanwhile, the broker probably cannot reach {1} (address, firewall or proxy): check the connection's push settings.</source>
            <translation>{0} 秒間ブローカーから通知が届いていません。この間にエンティティが変わっていれば、ブローカーから {1} に届いていない可能性があります（アドレス、ファイアウォール、プロキシ）。接続のプッシュ設定を確認してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/live.py" line="496" />
            <source>Waiting for the broker's first notification at {0}.</source>
            <translation>{0} でブローカーからの最初の通知を待っています。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/optional_packages.py" line="38" />
            <source>MQTT push (live layers over MQTT)</source>
            <translation>MQTT プッシュ（MQTT によるライブレイヤ）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/optional_packages.py" line="39" />
            <source>GeoDataFrames of city OS entities (notebooks)</source>
            <translation>都市OSエンティティの GeoDataFrame（ノートブック）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/optional_packages.py" line="40" />
            <source>GeoTIFF heatmaps and hazard exposure from rasters</source>
            <translation>GeoTIFF のヒートマップとラスタからのハザード曝露集計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/optional_packages.py" line="55" />
            <source>{0} needs the Python package {1}, which this QGIS does not have. On Windows, open the OSGeo4W Shell (Start menu, QGIS folder) and run: python -m pip install {1} — or use SmartCity ▸ Install optional packages… to install it into your QGIS profile. On Debian or Ubuntu: sudo apt install {2}. Then restart QGIS.</source>
            <translation>{0} には Python パッケージ {1} が必要ですが、この QGIS にはありません。Windows では OSGeo4W Shell（スタートメニューの QGIS フォルダ）を開いて python -m pip install {1} を実行するか、スマートシティ ▸ 追加パッケージをインストール… で QGIS プロファイルにインストールしてください。Debian / Ubuntu では sudo apt install {2} です。その後 QGIS を再起動してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="66" />
            <source>Print the live labels (levels, trends) instead of names only</source>
            <translation>ライブのラベル（水位・傾向）をそのまま印刷する（既定は名称のみ）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="206" />
            <source>Author organisation (default: the project's author)</source>
            <translation>作成者（組織）（既定はプロジェクトの作成者）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="85" />
            <source>Districts</source>
            <translation>地区一覧</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="100" />
            <source>Contents</source>
            <translation>目次</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="101" />
            <source>Page</source>
            <translation>ページ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="207" />
            <source>{0} — map</source>
            <translation>{0} — 地図</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/announcer.py" line="86" />
            <source>{0} more stations crossed a level: see the River levels panel.</source>
            <translation>ほか {0} 観測所が水位の段階を超えました。河川水位パネルをご覧ください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="150" />
            <source>Rise (m/h)</source>
            <translation>上昇 (m/時)</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="173" />
            <source>Alert when rising faster than</source>
            <translation>次の速さを超えて上昇したら通知:</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="180" />
            <source>m/h</source>
            <translation>m/時</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="186" />
            <source>over</source>
            <translation>期間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="187" />
            <source>min</source>
            <translation>分</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/river_panel.py" line="417" />
            <source>Station {0} is rising {1} m per hour.</source>
            <translation>{0}観測所の水位が毎時 {1} m で上昇しています。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="187" />
            <source>observation start level (観測開始水位)</source>
            <translation>観測開始水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="188" />
            <source>danger level (危険水位)</source>
            <translation>危険水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="189" />
            <source>flooding level (氾濫開始水位)</source>
            <translation>氾濫開始水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="195" />
            <source>normal</source>
            <translation>平常</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="196" />
            <source>observing</source>
            <translation>観測中</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="197" />
            <source>danger level reached</source>
            <translation>危険水位超過</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="198" />
            <source>flooding level reached</source>
            <translation>氾濫開始水位超過</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="205" />
            <source>Crisis-management gauge: {0}</source>
            <translation>危機管理型水位計：{0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="217" />
            <source>Gauge {0} reached the {1}.</source>
            <translation>{0}（危機管理型水位計）が{1}に達しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/schemes.py" line="218" />
            <source>Gauge {0} fell below the {1}.</source>
            <translation>{0}（危機管理型水位計）が{1}を下回りました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_layer.py" line="59" />
            <source>Crisis-management gauges (川の水位情報)</source>
            <translation>危機管理型水位計（川の水位情報）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/crisis_dialog.py" line="60" />
            <source>Prefectures to show (the ones under the map are ticked):</source>
            <translation>表示する都道府県（地図の範囲にあるものを選択済み）:</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/crisis_dialog.py" line="78" />
            <source>A mirror or a prefecture's own service works too; {prefCode} stands for 23000 etc.</source>
            <translation>ミラーや都道府県独自の配信も使えます。{prefCode} は 23000 などの都道府県コードに置き換わります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/crisis_dialog.py" line="79" />
            <source>Source URL</source>
            <translation>配信元 URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/crisis_dialog.py" line="85" />
            <source>The source updates every 10 minutes: it is never asked more often.</source>
            <translation>配信元は10分ごとに更新されます。これより頻繁には取得しません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/crisis_dialog.py" line="86" />
            <source>Ask every</source>
            <translation>取得間隔</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/crisis_dialog.py" line="106" />
            <source>Choose at least one prefecture.</source>
            <translation>都道府県を一つ以上選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/crisis_dialog.py" line="111" />
            <source>The source URL must contain {prefCode}.</source>
            <translation>配信元 URL には {prefCode} を含めてください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river.py" line="93" />
            <source>Crisis-management gauges (川の水位情報)…</source>
            <translation>危機管理型水位計（川の水位情報）…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_layer.py" line="83" />
            <source>Synthetic demo data in the format of 川の水位情報 (not real readings)</source>
            <translation>川の水位情報の形式による合成デモデータ（実測値ではありません）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_layer.py" line="179" />
            <source>Flooding level reached (氾濫開始水位)</source>
            <translation>氾濫開始水位に到達</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_layer.py" line="180" />
            <source>Danger level reached (危険水位)</source>
            <translation>危険水位に到達</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_layer.py" line="181" />
            <source>Observing: observation start level reached (観測開始水位)</source>
            <translation>観測中（観測開始水位に到達）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_layer.py" line="182" />
            <source>Below the observation start level (観測開始水位)</source>
            <translation>観測開始水位未満</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_layer.py" line="196" />
            <source>Not in the latest file (last reading)</source>
            <translation>最新の配信になし（前回の値）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_live.py" line="162" />
            <source>{0}: the gauge source did not answer ({1}).</source>
            <translation>{0}：水位の配信元から応答がありません（{1}）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_live.py" line="171" />
            <source>{0}: the gauge source answered HTTP {1}.</source>
            <translation>{0}：水位の配信元が HTTP {1} を返しました。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/crisis_live.py" line="178" />
            <source>{0}: the gauge file cannot be read: {1}</source>
            <translation>{0}：水位ファイルを読み込めません：{1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/replay_figure.py" line="26" />
            <source>reached the {0}</source>
            <translation>{0}に到達</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/replay_figure.py" line="26" />
            <source>fell below the {0}</source>
            <translation>{0}を下回る</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/replay_figure.py" line="43" />
            <source>{0} to {1}</source>
            <translation>{0}～{1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/replay_figure.py" line="55" />
            <source>River gauges at the peak of the storm</source>
            <translation>出水ピーク時の河川水位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/replay_figure.py" line="44" />
            <source>Most severe reading of each gauge, {0}</source>
            <translation>各水位計の最も危険な観測値（{0}）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/replay_figure.py" line="58" />
            <source>No threshold was crossed.</source>
            <translation>水位の基準を超えた記録はありません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/replay_figure.py" line="62" />
            <source>Crossings ({0})</source>
            <translation>基準水位の通過（{0} 件）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river.py" line="30" />
            <source>The snapshots cannot be replayed: {0}</source>
            <translation>保存された水位ファイルを再生できません：{0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river.py" line="43" />
            <source>{0} readings and {1} crossings replayed into {2}; the Temporal Controller plays the storm.</source>
            <translation>観測値 {0} 件と基準水位の通過 {1} 件を {2} に再現しました。時系列コントローラで出水を再生できます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river.py" line="52" />
            <source>Replaying gauge snapshots</source>
            <translation>保存された水位ファイルを再生中</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river.py" line="98" />
            <source>Folder of saved area files (川の水位情報)</source>
            <translation>保存された水位ファイルのフォルダ（川の水位情報）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/rivers/ui_river.py" line="106" />
            <source>After-action replay of gauge snapshots…</source>
            <translation>保存された水位ファイルで出水を振り返る…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/replay.py" line="130" />
            <source>The replay could not be written to {0}: {1}</source>
            <translation>再生結果を {0} に書き込めませんでした：{1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/replay.py" line="140" />
            <source>{0}: gauge readings</source>
            <translation>{0}：水位の観測値</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/replay.py" line="141" />
            <source>{0}: crossings</source>
            <translation>{0}：基準水位の通過</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/replay.py" line="142" />
            <source>{0}: peak of each gauge</source>
            <translation>{0}：各水位計のピーク</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/rivers/replay.py" line="144" />
            <source>The replay {0} cannot be read.</source>
            <translation>再生結果 {0} を読み込めません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="42" />
            <source>Gauges near zones by status</source>
            <translation>区域近傍の水位計（状況別）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="48" />
            <source>For each zone (district, mesh cell or any polygon), the river gauges at each status inside it and within a distance of it, measured in the zone's plane-rectangular CRS. Gauges are read in their own scheme: 警戒レベル for stations with four reference levels (city OS layers, station tables), 観測開始水位 / 危険水位 / 氾濫開始水位 for crisis-management gauges (川の水位情報).</source>
            <translation>区域（地区、メッシュ、任意のポリゴン）ごとに、区域内および指定距離以内にある河川水位計の数を状況別に数えます。距離は区域の平面直角座標系で測ります。水位計はそれぞれの基準で判定します：4つの基準水位を持つ観測所（都市OSレイヤ、観測所一覧表）は警戒レベル、危機管理型水位計（川の水位情報）は観測開始水位・危険水位・氾濫開始水位。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="60" />
            <source>River gauges</source>
            <translation>河川水位計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="63" />
            <source>Gauges within (metres)</source>
            <translation>水位計の範囲（m）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="66" />
            <source>Gauges by status</source>
            <translation>状況別の水位計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_rivers.py" line="76" />
            <source>Give zones and a layer of river gauges.</source>
            <translation>区域と河川水位計のレイヤを指定してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/layer.py" line="175" />
            <source>The KPI tables cannot be added to {0}: {1}</source>
            <translation>{0} にKPIのテーブルを追加できません: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_evaluation.py" line="87" />
            <source>baseline period</source>
            <translation>基準期間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_evaluation.py" line="87" />
            <source>evaluation period</source>
            <translation>評価期間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_evaluation.py" line="88" />
            <source>No data in the {0} {1}–{2}</source>
            <translation>{0}（{1}〜{2}）のデータがありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_task.py" line="84" />
            <source>{0}: there is no people-flow layer {1} in the project</source>
            <translation>{0}: プロジェクトに人流レイヤ {1} がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_task.py" line="91" />
            <source>{0}: there is no river alert log in the project</source>
            <translation>{0}: プロジェクトに河川の警戒レベル記録がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_task.py" line="126" />
            <source>{0}: choose a city OS connection</source>
            <translation>{0}: 都市OSの接続を選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_task.py" line="155" />
            <source>Measuring KPIs from the city OS</source>
            <translation>都市OSからKPIを計測中</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_task.py" line="180" />
            <source>Measuring was cancelled; the KPIs measured before stay stored.</source>
            <translation>計測を中止しました。それまでに計測したKPIは保存されています。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="71" />
            <source>District KPI evaluation</source>
            <translation>地区KPIの効果検証</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="77" />
            <source>Evaluates the KPIs defined for each pilot district in its GeoPackage (効果検証): measures them from the city OS history (entities inside the district), the people-flow mesh or the river alert log over both periods, stores the values in the GeoPackage (a period measured again is replaced), then compares the baseline period with the evaluation period in Japan time.

DISTRICTS: the district layer (districts.gpkg).
CONNECTION: a saved city OS connection name or a broker URL (needed for city-OS KPIs).
BASELINE_START, BASELINE_END, EVAL_START, EVAL_END: the two periods, whole days, inclusive.
MEASURE: measure before comparing (off: compare the values already stored).
OUTPUT: one row per district and KPI with both values, the days behind each, the change, the change in percent and the attainment of the target. Periods of people counts standing for fewer than 10 people are left out (left_out).</source>
            <translation>先行地区ごとに GeoPackage に定義されたKPIを効果検証します。都市OSの履歴（地区内のエンティティ）、人流メッシュまたは河川の警戒レベル記録から両期間を計測して GeoPackage に保存し（同じ期間を再計測すると置き換えます）、日本時間で基準期間と評価期間を比較します。

DISTRICTS: 先行地区レイヤ（districts.gpkg）。
CONNECTION: 保存済みの都市OS接続名またはブローカーのURL（都市OSのKPIに必要）。
BASELINE_START, BASELINE_END, EVAL_START, EVAL_END: 二つの期間（日単位、両端を含む）。
MEASURE: 比較の前に計測する（オフ: 保存済みの値で比較）。
OUTPUT: 地区とKPIごとに1行。両期間の値、それぞれの日数、変化量、変化率、目標の達成率。10人未満を表す人数の期間は除外します（left_out）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="40" />
            <source>Baseline period: first day</source>
            <translation>基準期間: 初日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="41" />
            <source>Baseline period: last day</source>
            <translation>基準期間: 最終日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="42" />
            <source>Evaluation period: first day</source>
            <translation>評価期間: 初日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="43" />
            <source>Evaluation period: last day</source>
            <translation>評価期間: 最終日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="100" />
            <source>Measure before comparing</source>
            <translation>比較の前に計測する</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="101" />
            <source>KPI evaluation</source>
            <translation>KPIの効果検証</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="108" />
            <source>Give a date for {0}</source>
            <translation>{0} の日付を指定してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="117" />
            <source>{0} holds no KPI definitions; open it as a district file</source>
            <translation>{0} にKPIの定義がありません。先行地区ファイルとして開いてください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="263" />
            <source>A period starts after it ends: {0} – {1}</source>
            <translation>期間の初日が最終日より後です: {0} – {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="153" />
            <source>{0} KPIs evaluated</source>
            <translation>{0} 件のKPIを評価しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="162" />
            <source>No city OS connection was given: city-OS KPIs are compared as stored</source>
            <translation>都市OSの接続が指定されていないため、都市OSのKPIは保存済みの値で比較します</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="179" />
            <source>{0}: {1} periods stored from {2}</source>
            <translation>{0}: {2} から {1} 期間分を保存しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_kpi.py" line="183" />
            <source>{0}: {1} periods of fewer than 10 people left out</source>
            <translation>{0}: 10人未満の {1} 期間を除外しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="100" />
            <source>KPI</source>
            <translation>KPI</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="92" />
            <source>Preview the last 14 days</source>
            <translation>直近14日をプレビュー</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="140" />
            <source>Target is</source>
            <translation>目標の種類</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="140" />
            <source>Better when</source>
            <translation>評価の向き</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="154" />
            <source>How it is measured</source>
            <translation>計測方法</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="177" />
            <source>Level </source>
            <translation>レベル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="188" />
            <source>Only from</source>
            <translation>時間帯を限定:</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="196" />
            <source>to</source>
            <translation>〜</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="196" />
            <source>o'clock (JST)</source>
            <translation>時（日本時間）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="198" />
            <source>The values count people (k = 10 rule)</source>
            <translation>人数を数える値（k = 10 の規則）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Measured from</source>
            <translation>計測元</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Attribute</source>
            <translation>属性</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>As</source>
            <translation>値の扱い</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Divided by</source>
            <translation>分母の属性</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Layer</source>
            <translation>レイヤ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Alert level reached</source>
            <translation>到達した警戒レベル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Gauges within</source>
            <translation>対象の観測所（距離）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Per</source>
            <translation>集計単位</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Aggregated by</source>
            <translation>集計方法</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Period value</source>
            <translation>期間の代表値</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Days</source>
            <translation>曜日</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="201" />
            <source>Hours</source>
            <translation>時間帯</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="224" />
            <source>Values typed in (date, value)</source>
            <translation>手入力の値（日付、値）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="228" />
            <source>Date (YYYY-MM-DD)</source>
            <translation>日付（YYYY-MM-DD）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="231" />
            <source>Add a row</source>
            <translation>行を追加</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="331" />
            <source>Row {0}: give a date (YYYY-MM-DD) and a number</source>
            <translation>{0} 行目: 日付（YYYY-MM-DD）と数値を入力してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="344" />
            <source>Give the KPI a name</source>
            <translation>KPIの名前を入力してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="345" />
            <source>The city OS has no entity type {0}</source>
            <translation>都市OSにエンティティタイプ {0} がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="347" />
            <source>Choose an entity type</source>
            <translation>エンティティタイプを選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="348" />
            <source>{0} has no attribute {1}</source>
            <translation>{0} に属性 {1} がありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="350" />
            <source>Choose an attribute</source>
            <translation>属性を選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="351" />
            <source>Choose the attribute to divide by</source>
            <translation>分母の属性を選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="352" />
            <source>The hours must differ and lie in 0–24</source>
            <translation>時間帯は0〜24時の範囲で、開始と終了を変えてください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="353" />
            <source>The target must be a number</source>
            <translation>目標値は数値で入力してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="370" />
            <source>Measuring…</source>
            <translation>計測中…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="380" />
            <source>No data in the last 14 days</source>
            <translation>直近14日のデータがありません</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="383" />
            <source>{0} days with data; latest {1}: {2}</source>
            <translation>データのある日 {0} 日、最新 {1}: {2}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_editor.py" line="387" />
            <source>{0} days of fewer than 10 people left out</source>
            <translation>10人未満の {0} 日を除外しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="100" />
            <source>Current</source>
            <translation>現在値</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="136" />
            <source>Baseline</source>
            <translation>基準期間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="137" />
            <source>Evaluation</source>
            <translation>評価期間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="137" />
            <source>Change</source>
            <translation>変化率</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="137" />
            <source>Attainment</source>
            <translation>達成率</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="123" />
            <source>Connect</source>
            <translation>接続</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="138" />
            <source>Baseline period</source>
            <translation>基準期間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="138" />
            <source>Evaluation period</source>
            <translation>評価期間</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="155" />
            <source>Measure</source>
            <translation>計測</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="165" />
            <source>Today live</source>
            <translation>本日をライブ更新</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="167" />
            <source>Measure today's partial value every 5 minutes</source>
            <translation>本日の途中までの値を5分ごとに計測します</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="195" />
            <source>Choose a connection</source>
            <translation>接続を選択してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="200" />
            <source>Connecting…</source>
            <translation>接続中…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="259" />
            <source>The KPIs cannot be read: {0}</source>
            <translation>KPIを読み込めません: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="263" />
            <source>{0}: {1} KPIs</source>
            <translation>{0}: KPI {1} 件</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="274" />
            <source>, partial)</source>
            <translation>、途中）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="296" />
            <source>{0} periods of fewer than 10 people left out</source>
            <translation>10人未満の {0} 期間を除外しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="331" />
            <source>typed in</source>
            <translation>手入力</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="353" />
            <source>Remove KPI</source>
            <translation>KPIの削除</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="353" />
            <source>Remove {0} and its stored values?</source>
            <translation>{0} と保存済みの値を削除しますか？</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="399" />
            <source>{0}: {1} periods stored</source>
            <translation>{0}: {1} 期間分を保存しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="380" />
            <source>Connect to a city OS to measure {0} KPIs</source>
            <translation>{0} 件のKPIを計測するには都市OSに接続してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/kpi_panel.py" line="429" />
            <source>Connect to a city OS first</source>
            <translation>先に都市OSに接続してください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="211" />
            <source>District KPI evaluation…</source>
            <translation>地区KPIの効果検証…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts/kpi_task.py" line="190" />
            <source>Previewing a KPI from the city OS</source>
            <translation>都市OSからKPIをプレビュー中</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="178" />
            <source>Districts with KPIs get a KPI page: a table (baseline and evaluation values with the days behind each, change, target, attainment) and one chart per KPI with both periods shaded and the target line. BASELINE_START, BASELINE_END, EVAL_START and EVAL_END (optional, all four) set the periods; the values are those stored in the district GeoPackage (measure them with District KPI evaluation).</source>
            <translation>KPIのある地区にはKPIページが付きます。表（基準期間と評価期間の値とそれぞれの日数、変化率、目標、達成率）と、両期間を網掛けし目標線を引いたKPIごとのグラフです。BASELINE_START, BASELINE_END, EVAL_START, EVAL_END（任意、4つとも指定）で期間を指定します。値は先行地区 GeoPackage に保存された値です（「地区KPIの効果検証」で計測します）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="260" />
            <source>Give all four KPI period dates, or none</source>
            <translation>KPIの期間の日付は4つとも指定するか、いずれも指定しないでください</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="49" />
            <source>({0} days)</source>
            <translation>（{0}日）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="76" />
            <source>none (no measured values)</source>
            <translation>なし（計測値なし）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="79" />
            <source>{0} periods standing for fewer than 10 people are not shown (k = 10).</source>
            <translation>10人未満を表す {0} 期間は表示していません（k = 10）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="81" />
            <source>Today's values are partial (measured up to the time of the report).</source>
            <translation>本日の値は途中までの値です（資料作成時点までの計測）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="82" />
            <source>Days are Japan days (JST); 土日祝 includes Japanese public holidays.</source>
            <translation>日付は日本時間（JST）。土日祝には国民の祝日・休日を含みます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="128" />
            <source>{0} — KPIs (evaluation)</source>
            <translation>{0} — KPI（効果検証）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="130" />
            <source>Baseline period {0} – {1} / evaluation period {2} – {3} (JST)</source>
            <translation>基準期間 {0}〜{1} ／ 評価期間 {2}〜{3}（日本時間）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="132" />
            <source>No periods compared: the latest values are shown</source>
            <translation>比較期間の指定なし（最新の値を表示）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="136" />
            <source>Method</source>
            <translation>計測方法</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/kpi_page.py" line="156" />
            <source>{0} — KPIs (continued)</source>
            <translation>{0} — KPI（続き）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/planning_pack.py" line="215" />
            <source>{0} — KPIs</source>
            <translation>{0} — KPI</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_planning.py" line="58" />
            <source>GSI pale map underneath when it can be reached (地理院タイル)</source>
            <translation>背景に地理院タイル（淡色地図）を表示（接続できる場合）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/export/base_map.py" line="71" />
            <source>No base map: the GSI tiles (地理院タイル) could not be reached when this figure was made.</source>
            <translation>背景地図なし：作成時に地理院タイルに接続できませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/connections.py" line="392" />
            <source>nested more than {0} levels deep</source>
            <translation>{0} 階層を超えて入れ子になっています</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/credits.py" line="83" />
            <source>{0} (licence: {1})</source>
            <translation>{0}（利用規約：{1}）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="106" />
            <source>no history service</source>
            <translation>履歴サービスなし</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="184" />
            <source>Set the history source…</source>
            <translation>履歴の取得先を設定…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="186" />
            <source>The connection's time-series (QuantumLeap) URL, or the NGSI-LD temporal API URL</source>
            <translation>接続の時系列（QuantumLeap）URL、または NGSI-LD テンポラル API の URL</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="277" />
            <source>History needs the NGSI-LD temporal API or a QuantumLeap (time-series) URL in the connection {0}.</source>
            <translation>履歴を表示するには、接続「{0}」に NGSI-LD のテンポラル API か QuantumLeap（時系列）の URL が必要です。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="307" />
            <source>Meanwhile the chart shows the live values seen since {0}.</source>
            <translation>それまでは {0} 以降に受け取ったライブの値を表示します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="307" />
            <source>Meanwhile the chart shows live values as they arrive.</source>
            <translation>それまではライブの値を受け取りしだい表示します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="321" />
            <source>The city OS gave no history ({0}). History needs the NGSI-LD temporal API or a QuantumLeap (time-series) URL in the connection {1}.</source>
            <translation>都市OSから履歴を取得できませんでした（{0}）。履歴を表示するには、接続「{1}」に NGSI-LD のテンポラル API か QuantumLeap（時系列）の URL が必要です。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/chart_dock.py" line="436" />
            <source>Time ({0})</source>
            <translation>時刻（{0}）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/offline_notices.py" line="61" />
            <source>The city OS {0} cannot be reached since {1}. Its layers keep their last data (marked in the Layers panel) and catch up by themselves when it answers. If this lasts, check the network (VPN, proxy) or ask the city OS's operator.</source>
            <translation>都市OS「{0}」に {1} から接続できません。レイヤは最後に受け取ったデータを表示し（レイヤパネルにアイコンで表示）、都市OSが応答すると自動で最新の状態に追いつきます。続くときはネットワーク（VPN、プロキシ）を確認するか、都市OSの運用担当者に問い合わせてください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/offline_notices.py" line="72" />
            <source>The city OS {0} answers again (unreachable from {1} to {2}); its layers are catching up.</source>
            <translation>都市OS「{0}」に再接続しました（{1}〜{2} は接続できませんでした）。レイヤは最新の状態に追いついています。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/offline_notices.py" line="108" />
            <source>Offline since {0}: the layer shows the last data received and catches up when the city OS answers.</source>
            <translation>{0} からオフライン：最後に受け取ったデータを表示しています。都市OSが応答すると最新の状態に追いつきます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/offline_notices.py" line="111" />
            <source>Showing the data saved with the project: the layer catches up when the city OS answers.</source>
            <translation>プロジェクトに保存されたデータを表示しています。都市OSが応答すると最新の状態に追いつきます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="34" />
            <source>The districts could not be written beside the project: {0}</source>
            <translation>先行地区をプロジェクトの隣に書き出せませんでした: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="41" />
            <source>This project has not been saved yet. Its districts are kept with the project and written beside the project file (districts.gpkg) when you save it.

Save the project now?</source>
            <translation>このプロジェクトはまだ保存されていません。先行地区はプロジェクトと一緒に保持し、プロジェクトを保存したときにプロジェクトファイルの隣（districts.gpkg）に書き出します。

今すぐプロジェクトを保存しますか？</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="54" />
            <source>The districts were written beside the project: {0}</source>
            <translation>先行地区をプロジェクトの隣に書き出しました: {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/districts/ui_districts.py" line="80" />
            <source>Districts are kept in {0}, beside the project.</source>
            <translation>先行地区はプロジェクトの隣の {0} に保存します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="86" />
            <source>The tile server {0} cannot be reached: there is no internet connection, or a proxy blocks it (Settings ▸ Options ▸ Network). {1} stay blank until the network is back.</source>
            <translation>タイルサーバー {0} に接続できません。インターネットに接続されていないか、プロキシに遮断されています（設定 ▸ オプション ▸ ネットワーク）。{1} はネットワークが戻るまで空白のままです。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/hazards/ui_hazard.py" line="96" />
            <source>Tiles</source>
            <translation>タイル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="140" />
            <source>Project time zone</source>
            <translation>プロジェクトのタイムゾーン</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="140" />
            <source>Times are shown in this zone (now {0}); files keep UTC.</source>
            <translation>時刻はこのタイムゾーンで表示します（現在 {0}）。ファイルには UTC で保存します。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="167" />
            <source>Project time zone…</source>
            <translation>プロジェクトのタイムゾーン…</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="55" />
            <source>{0} (city OS {1})</source>
            <translation>{0}（都市OS「{1}」）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/entity_builder.py" line="57" />
            <source>City OS {0}</source>
            <translation>都市OS「{0}」</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="70" />
            <source>The city OS's certificate could not be verified. Set the CA bundle of your organisation in the connection (SmartCity ▸ City OS connections…).</source>
            <translation>都市OSの証明書を検証できませんでした。組織の CA バンドルを接続に設定してください（スマートシティ ▸ 都市OSの接続…）。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="77" />
            <source>The city OS did not answer in time. It may be busy or the network slow: try again later, or raise the timeout of the connection.</source>
            <translation>都市OSが時間内に応答しませんでした。混雑しているか、ネットワークが遅い可能性があります。しばらくして再試行するか、接続のタイムアウトを長くしてください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="81" />
            <source>The city OS cannot be reached. Check the network (VPN, proxy under Settings ▸ Options ▸ Network) and that the city OS is running; layers keep their last data and catch up when it answers.</source>
            <translation>都市OSに接続できません。ネットワーク（VPN、設定 ▸ オプション ▸ ネットワークのプロキシ）と都市OSが稼働しているかを確認してください。レイヤは最後のデータを表示し、都市OSが応答すると追いつきます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>The city OS refused the credentials. Check the connection's authentication.</source>
            <translation>都市OSが認証情報を拒否しました。接続の認証設定を確認してください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="87" />
            <source>The query matched more entities than the city OS will answer: load only the map extent.</source>
            <translation>条件に合うエンティティが都市OSの返せる件数を超えています。現在の地図範囲だけを読み込んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/cityos/messages.py" line="118" />
            <source>The request to the city OS failed ({0}); the details are in the SmartCity log.</source>
            <translation>都市OSへの要求に失敗しました（{0}）。詳細はスマートシティのログにあります。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/heatmap_style.py" line="83" />
            <source>people/km²</source>
            <translation>人/km²</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/heatmap_style.py" line="88" />
            <source>Population density ({0})</source>
            <translation>人口密度（{0}）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/peopleflow/style.py" line="175" />
            <source>Synthetic data in the format of {0}</source>
            <translation>{0}の形式による合成データ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/local_time_widget.py" line="90" />
            <source>Date/time in the project's time zone</source>
            <translation>日時（プロジェクトのタイムゾーン）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/cityos/offline_notices.py" line="103" />
            <source>Offline since {0}: the layer shows the last readings received and catches up when the gauge source answers.</source>
            <translation>{0} からオフライン：最後に受け取った観測値を表示しています。水位の配信元が応答すると最新の状態に追いつきます。</translation>
        </message>
    </context>
</TS>

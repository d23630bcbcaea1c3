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
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="22" />
            <source>SmartCity</source>
            <translation>スマートシティ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/plugin_ui.py" line="58" />
            <source>Panels</source>
            <translation>パネル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/plugin_ui.py" line="74" />
            <source>Could not set up {0}: {1}</source>
            <translation>{0} を準備できませんでした: {1}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="32" />
            <source>Show SmartCity tools in the Processing Toolbox</source>
            <translation>プロセシングツールボックスでスマートシティのツールを表示</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="42" />
            <source>SmartCity QGIS {0}</source>
            <translation>SmartCity QGIS {0}（スマートシティ）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="43" />
            <source>City-OS live layers, people flow, hazard zones, pilot districts and planning figures.</source>
            <translation>都市OSのライブレイヤ、人流、ハザード区域、先行地区、計画書用の地図。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="44" />
            <source>QGIS {0}</source>
            <translation>QGIS {0}</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="45" />
            <source>Processing algorithms: {0}</source>
            <translation>プロセシングアルゴリズム: {0} 件</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/dialogs/ui_home.py" line="57" />
            <source>SmartCity panel</source>
            <translation>スマートシティパネル</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="79" />
            <source>Hazard exposure</source>
            <translation>ハザード曝露集計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="82" />
            <source>Hazards and rivers</source>
            <translation>ハザード・河川</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="85" />
            <source>For each zone (district, mesh cell or any polygon) and each hazard rank, the area in m² (measured in the zone's plane-rectangular CRS), the population (mesh polygons shared out by area, or weighted points) and the number of features (shelters, sensors) inside. The hazard is a polygon layer with a rank field (e.g. 国土数値情報 A31a) or a GeoTIFF of ranks or depths in metres. Where ranks overlap, a place counts under its highest rank.</source>
            <translation>区域（地区、メッシュ、任意のポリゴン）とハザードのランクごとに、面積（m²、区域の平面直角座標系で計測）、人口（メッシュポリゴンは面積按分、ポイントは重み付き）、区域内の地物数（避難所、センサーなど）を集計します。ハザードはランク属性を持つポリゴンレイヤ（国土数値情報 A31a など）か、ランクまたは浸水深（m）の GeoTIFF です。ランクが重なる場所は最も高いランクで数えます。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="94" />
            <source>Hazard polygons or raster</source>
            <translation>ハザードのポリゴンまたはラスタ</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="101" />
            <source>Rank field (polygon hazards)</source>
            <translation>ランク属性（ポリゴンのハザード）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="109" />
            <source>Zones</source>
            <translation>集計区域</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="112" />
            <source>Zone id field</source>
            <translation>区域IDの属性</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="117" />
            <source>Population (mesh polygons or points)</source>
            <translation>人口（メッシュポリゴンまたはポイント）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="125" />
            <source>Population field</source>
            <translation>人口の属性</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="134" />
            <source>Features to count (shelters, sensors)</source>
            <translation>数える地物（避難所、センサー）</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="142" />
            <source>Exposure</source>
            <translation>曝露集計</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="181" />
            <source>The hazard layer could not be opened.</source>
            <translation>ハザードレイヤを開けませんでした。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="184" />
            <source>The hazard layer must have polygons.</source>
            <translation>ハザードレイヤはポリゴンでなければなりません。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="186" />
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
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="215" />
            <source>Choose the population field of the population mesh.</source>
            <translation>人口メッシュの人口属性を選んでください。</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/algorithms/alg_exposure.py" line="256" />
            <source>{0} zones measured in EPSG:{1}</source>
            <translation>{0} 区域を EPSG:{1} で計測しました</translation>
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="84" />
            <source>Connection {0} cannot be used: {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="91" />
            <source>The QGIS authentication system is not available.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="97" />
            <source>Authentication configuration {0} was not found or could not be unlocked.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="109" />
            <source>Authentication method {0} cannot be used for a city OS: choose Basic, API header or OAuth2.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="118" />
            <source>Authentication configuration {0} holds no token.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="129" />
            <source>Authentication configuration {0} needs an X-Auth-Token or an Authorization: Bearer header.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="142" />
            <source>Basic authentication configuration {0}: use the user name __token__ with the token as password, or the OAuth2 method for a user name and password.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="156" />
            <source>OAuth2 configuration {0} has no token URL (predefined OAuth2 configurations are not supported).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_config.py" line="175" />
            <source>OAuth2 configuration {0}: use the resource owner grant, or give a client secret.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_status.py" line="35" />
            <source>connected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_status.py" line="37" />
            <source>connecting…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_status.py" line="39" />
            <source>reconnecting (since {0})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_status.py" line="41" />
            <source>offline since {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connection_status.py" line="42" />
            <source>not connected yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="65" />
            <source>The connection needs a name.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="69" />
            <source>The URL must start with http:// or https:// and name a host.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="71" />
            <source>Do not put a user name or password in the URL: choose an authentication configuration.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="75" />
            <source>Unknown NGSI flavor: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="77" />
            <source>A tenant has at most 50 letters, digits or underscores.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="80" />
            <source>Service path {0} must be absolute, like /river or /river/#.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="82" />
            <source>At most 10 service paths can be queried together.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="84" />
            <source>The timeout must be between 1 and 600 seconds.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="89" />
            <source>The area of interest must be west, south, east, north in degrees.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="102" />
            <source>A connection entry must be a JSON object.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="107" />
            <source>A connection entry has no name.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="123" />
            <source>Connection {0} has an unusable value: {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="243" />
            <source>The demo city OS connection is built in and cannot be changed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="209" />
            <source>A connection called {0} already exists.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="233" />
            <source>The demo city OS connection is built in and cannot be removed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="252" />
            <source>There is no connection called {0}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="253" />
            <source>{0} (copy)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="257" />
            <source>The demo city OS has no fixed address to copy.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="295" />
            <source>The file is not valid JSON: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="303" />
            <source>The file is not a SmartCity connections file.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/connections.py" line="309" />
            <source>Ignored secret fields in {0}: secrets belong in the QGIS authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/district_geometry.py" line="32" />
            <source>The geometry is empty</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/district_geometry.py" line="65" />
            <source>Select the features that make up the district first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/district_geometry.py" line="77" />
            <source>Points and lines need a buffer distance in metres to make a district</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/district_geometry.py" line="80" />
            <source>The selection does not make an area</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/district_geometry.py" line="88" />
            <source>Choose a mesh layer (polygons) and select its cells</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="56" />
            <source>District name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="57" />
            <source>Domain</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="58" />
            <source>Phase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="59" />
            <source>Goal and vision</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="60" />
            <source>Main initiatives</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="61" />
            <source>KPI (outcome)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="62" />
            <source>KPI (outcome) target value</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="63" />
            <source>KPI (outcome) unit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="64" />
            <source>KPI (outcome) target year</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="65" />
            <source>KPI (output)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="66" />
            <source>KPI (output) target value</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="67" />
            <source>KPI (output) unit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="68" />
            <source>KPI (output) target year</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="69" />
            <source>Lead body</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="70" />
            <source>Notes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="71" />
            <source>Created</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="72" />
            <source>Updated</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="101" />
            <source>Choose a value from the list</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="109" />
            <source>A district needs a name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="114" />
            <source>A target year between {0} and {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="145" />
            <source>District file not found: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="149" />
            <source>Cannot create the district file: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="154" />
            <source>Pilot districts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="156" />
            <source>{0} is not a district GeoPackage</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="160" />
            <source>Pilot district form</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="206" />
            <source>District {0} cannot be saved: {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="225" />
            <source>The districts were not saved: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="245" />
            <source>The district has no area</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="247" />
            <source>A district must be a polygon</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="253" />
            <source>The district layer cannot be edited</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="257" />
            <source>Add district</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/districts.py" line="260" />
            <source>The district could not be added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="84" />
            <source>Loaded {0} entities</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="86" />
            <source>; {0} entities could not be used</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="88" />
            <source>; {0} warnings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="90" />
            <source> (cancelled)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="95" />
            <source>Entities that could not be used:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="98" />
            <source>Warnings:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="106" />
            <source>River water level</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="107" />
            <source>People count</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="108" />
            <source>Air quality</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="109" />
            <source>Streetlights</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="113" />
            <source>Parking</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="114" />
            <source>Points of interest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="115" />
            <source>Weather</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="116" />
            <source>Traffic flow</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="117" />
            <source>Noise level</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="129" />
            <source>points</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="129" />
            <source>lines</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="129" />
            <source>polygons</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="154" />
            <source>The extent must be west, south, east, north in degrees.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="355" />
            <source>Loading {0} from the city OS</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/entity_loader.py" line="399" />
            <source>Loading was cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The city OS refused the credentials.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The city OS does not know this entity or type.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The city OS refused the request.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The query matched more entities than the city OS will answer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The city OS did not answer in time.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The city OS cannot be reached.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The city OS answer is too large.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The city OS reported an error.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>The connection settings cannot be used.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="12" />
            <source>Cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../smartcity_qgis/layers/messages.py" line="28" />
            <source>Unexpected error: {0}</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>

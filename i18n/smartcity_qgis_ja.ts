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
    </context>
</TS>

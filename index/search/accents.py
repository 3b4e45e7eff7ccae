"""Accent folding for Latin text: the letter each accented letter (and a few others) stands
for, lowercased. The table is Whoosh's ``accent_map`` (whoosh.support.charset, BSD licence), held
here so that the index, the highlighting and the typo matching fold text identically whatever
search backend is in use (``tests/contract`` checks it against Whoosh's own).
"""

from __future__ import annotations

_FROM = (
    "HIJNPSTWYinpsÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåçèéêëìíîïðñòóôõöøùúûüý"
    "þÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľĿŀŁłŃńŅņ"
    "ŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƀƁƂƃƇƈƉƊƋƌƎƏƑƒƓƗƘƙƚ"
    "ƝƞƟƠơƤƥƫƬƭƮƯưƲƳƴƵƶƺǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǝǞǟǠǡǢǣǤǥǦǧǨǩǪǫǬǭǮǯǰǴǵǸǹǺǻǼǽǾǿȀȁȂȃȄ"
    "ȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȠȡȤȥȦȧȨȩȪȫȬȭȮȯȰȱȲȳȴȵȶȷȺȻȼȽȾɃɄɆɇɈɉɊɋɌɍɎɏɓɕɖɗɚɝ"
    "ɟɠɨɫɬɭɱɲɳɵɼɽɾʂʄʈʉʋʏʐʑʝʠ̣̩̱̃̈̊̌ᵬᵭᵮᵲᵳᵵḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡ"
    "ḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧ"
    "ṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẚẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằ"
    "ẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷ"
    "ỸỹⱠⱡⱢⱣⱤⱥⱦⱧⱨⱩⱪⱫⱬ０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓ"
    "ｔｕｖｗｘｙｚ"
)
_TO = (
    "hijnpstwyinpsaaaaaaceeeeiiiinoooooouuuuytsaaaaaaceeeeiiiidnoooooouuuuy"
    "tyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkalllllllllnnnn"
    "nnoooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzbbbbccddddeeffgikkl"
    "nnoooppttttuuvyyzzzaaiioouuuuuuuuuueaaaaaaggggkkoooozzjggnnaaaaooaaaae"
    "eeeiiiioooorrrruuuusstthhndzzaaeeooooooooyylntjaccltbueejjqqrryybcddee"
    "jgilllmnnorrrsjtuvyzzjqptyjlshbdfrrtaabbbbbbccddddddddddeeeeeeeeeeffgg"
    "hhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssss"
    "ssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyasaaaaaaaaaaaaaaaaaa"
    "aaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyy"
    "yylllprathhkkzz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
    "tuvwxyz"
)
ACCENTS: dict[int, str] = {ord(a): b for a, b in zip(_FROM, _TO, strict=True)}

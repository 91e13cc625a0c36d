-- A small eFiction 3.5 archive, written for the archive's tests.
-- MySQL dump 10.13  Distrib 5.7.23, for Linux (x86_64)
--
-- Host: localhost    Database: harbour

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;

# A table the importer does not read.
DROP TABLE IF EXISTS `fanfiction_settings`;
CREATE TABLE `fanfiction_settings` (
  `sitekey` varchar(50) NOT NULL DEFAULT '1',
  `sitename` varchar(200) NOT NULL DEFAULT 'Your Site',
  `slogan` varchar(200) NOT NULL DEFAULT 'It''s a cool site!',
  PRIMARY KEY (`sitekey`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_settings` VALUES ('k3y','Harbour Lights','Stories (and; semicolons) by the sea');

DROP TABLE IF EXISTS `fanfiction_authors`;
CREATE TABLE `fanfiction_authors` (
  `uid` int(11) NOT NULL AUTO_INCREMENT,
  `penname` varchar(200) NOT NULL DEFAULT '',
  `realname` varchar(200) NOT NULL DEFAULT '',
  `email` varchar(200) NOT NULL DEFAULT '',
  `website` varchar(200) NOT NULL DEFAULT '',
  `bio` text,
  `image` varchar(200) NOT NULL DEFAULT '',
  `date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `admincreated` char(1) NOT NULL DEFAULT '0',
  `password` varchar(40) NOT NULL DEFAULT '0',
  PRIMARY KEY (`uid`),
  KEY `penname` (`penname`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;

LOCK TABLES `fanfiction_authors` WRITE;
INSERT INTO `fanfiction_authors` (`uid`, `penname`, `realname`, `email`, `website`, `bio`, `image`, `date`, `admincreated`, `password`) VALUES (1,'Marrow Lane','','marrow@example.org','','Writes about lighthouses.','','2008-11-02 09:00:00','0','5f4dcc3b5aa765d61d8327deb882cf99'),(2,'quillfeather','','Quill@Example.org','',NULL,'','2009-01-15 20:30:00','0','098f6bcd4621d373cade4e832627b4f6'),(3,'Juniper','','juniper@example.net','','','','2009-03-03 12:00:00','0','ad0234829205b9033196ba818f7a872b');
UNLOCK TABLES;

CREATE TABLE `fanfiction_categories` (
  `catid` int(11) NOT NULL AUTO_INCREMENT,
  `parentcatid` int(11) NOT NULL DEFAULT '-1',
  `category` varchar(60) NOT NULL DEFAULT '',
  `description` text NOT NULL,
  `image` varchar(100) NOT NULL DEFAULT '',
  `locked` char(1) NOT NULL DEFAULT '0',
  `leveldown` tinyint(4) NOT NULL DEFAULT '0',
  `displayorder` int(11) NOT NULL DEFAULT '0',
  `numitems` int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (`catid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_categories` (`catid`, `parentcatid`, `category`, `description`, `image`, `locked`, `leveldown`, `displayorder`, `numitems`) VALUES
	(1,-1,'Lighthouse Keepers','Stories of the keepers.','','0',0,1,2),
	(2,-1,'The Salt Road','','','0',0,2,1),
	(3,-1,'Tea, Cake & Scones','Baking, mostly.','','0',0,3,1);

CREATE TABLE `fanfiction_characters` (
  `charid` int(11) NOT NULL AUTO_INCREMENT,
  `catid` int(11) NOT NULL DEFAULT '0',
  `charname` varchar(60) NOT NULL DEFAULT '',
  `bio` text NOT NULL,
  `image` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`charid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_characters` (`charid`, `catid`, `charname`, `bio`, `image`) VALUES (1,1,'Ines Varga','',''),(2,1,'Tomas Reed','',''),(3,2,'The Cartographer','','');

CREATE TABLE `fanfiction_classtypes` (
  `classtype_id` int(11) NOT NULL AUTO_INCREMENT,
  `classtype_name` varchar(50) NOT NULL DEFAULT '',
  `classtype_title` varchar(50) NOT NULL DEFAULT '',
  PRIMARY KEY (`classtype_id`),
  UNIQUE KEY `classtype_name` (`classtype_name`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_classtypes` (`classtype_id`, `classtype_name`, `classtype_title`) VALUES (1,'genres','Genres'),(2,'warnings','Warnings'),(3,'pairing','Pairing Type');

CREATE TABLE `fanfiction_classes` (
  `class_id` int(11) NOT NULL AUTO_INCREMENT,
  `class_type` int(11) NOT NULL DEFAULT '0',
  `class_name` varchar(100) NOT NULL DEFAULT '',
  PRIMARY KEY (`class_id`),
  KEY `byname` (`class_type`,`class_name`,`class_id`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_classes` (`class_id`, `class_type`, `class_name`) VALUES (1,1,'Hurt/Comfort <3'),(2,1,'Slow Burn'),(3,2,'Major Character Death'),(4,2,'Mild Peril'),(5,3,'F/M'),(6,3,'Gen');

-- mysqldump without --complete-insert: the columns come from CREATE TABLE.
CREATE TABLE `fanfiction_ratings` (
  `rid` int(11) NOT NULL AUTO_INCREMENT,
  `rating` varchar(60) NOT NULL DEFAULT '',
  `ratingwarning` char(1) NOT NULL DEFAULT '0',
  `warningtext` text NOT NULL,
  PRIMARY KEY (`rid`),
  KEY `rating` (`rating`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_ratings` VALUES (1,'General Audiences','0',''),(2,'Teen And Up Audiences','0',''),(3,'Grown-ups Only','1','For readers over eighteen.');

CREATE TABLE `fanfiction_stories` (
  `sid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT '',
  `summary` text,
  `storynotes` text,
  `catid` varchar(100) NOT NULL DEFAULT '0',
  `classes` varchar(200) DEFAULT NULL,
  `charid` varchar(250) NOT NULL DEFAULT '0',
  `rid` varchar(25) NOT NULL DEFAULT '0',
  `date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `updated` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `uid` int(11) NOT NULL DEFAULT '0',
  `coauthors` varchar(200) DEFAULT NULL,
  `featured` char(1) NOT NULL DEFAULT '0',
  `validated` char(1) NOT NULL DEFAULT '0',
  `completed` char(1) NOT NULL DEFAULT '0',
  `rr` char(1) NOT NULL DEFAULT '0',
  `wordcount` int(11) NOT NULL DEFAULT '0',
  `rating` tinyint(4) NOT NULL DEFAULT '0',
  `reviews` smallint(6) NOT NULL DEFAULT '0',
  `count` int(11) NOT NULL DEFAULT '0',
  `challenges` varchar(200) NOT NULL DEFAULT '0',
  PRIMARY KEY (`sid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_stories` (`sid`, `title`, `summary`, `storynotes`, `catid`, `classes`, `charid`, `rid`, `date`, `updated`, `uid`, `coauthors`, `featured`, `validated`, `completed`, `rr`, `wordcount`, `rating`, `reviews`, `count`, `challenges`) VALUES
	(1,'The Lamp at Low Water','Ines keeps the lamp lit through the worst storm of the decade.','Thanks to my beta, who said \"keep going\".\r\nAnd to the keeper\'s log that started it.','1','2,5','1,2','2','2009-04-02 10:15:00','2009-06-20 18:40:05',1,NULL,'0','1','1','0',9999,0,3,120,'0'),
	(2,'Salt and Compass','A map that redraws itself every night.',NULL,'2','1,4','3','3','2009-05-11 08:00:00','2009-05-11 08:00:00',2,NULL,'0','1','0','0',40,0,0,12,'0'),
	(3,'Crumbs','Crumbs everywhere <script>alert(\'crumb\')</script><img src=x onerror=alert(1)> and a <a href=\"javascript:alert(2)\">link</a>.','','3','6,3','','1','2010-02-14 16:00:00','2010-02-14 16:30:00',3,'1','0','1','1','0',30,0,1,8,'0'),
	(4,'Second Watch','Tomas takes the midnight watch.','','1','','2','1','2010-01-05 23:59:59','2010-01-06 00:10:00',1,NULL,'0','1','1','0',30,0,0,5,'0'),
	(5,'Unfinished Draft','Never approved.','','2','','','1','2011-07-07 07:07:07','2011-07-07 07:07:07',2,NULL,'0','0','0','0',3,0,0,0,'0');

CREATE TABLE `fanfiction_chapters` (
  `chapid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(250) NOT NULL DEFAULT '',
  `inorder` int(11) NOT NULL DEFAULT '0',
  `notes` text NOT NULL,
  `storytext` text,
  `endnotes` text,
  `validated` char(1) NOT NULL DEFAULT '0',
  `wordcount` int(11) NOT NULL DEFAULT '0',
  `rating` tinyint(4) NOT NULL DEFAULT '0',
  `reviews` smallint(6) NOT NULL DEFAULT '0',
  `sid` int(11) NOT NULL DEFAULT '0',
  `uid` int(11) NOT NULL DEFAULT '0',
  `count` int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (`chapid`),
  KEY `sid` (`sid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_chapters` (`chapid`, `title`, `inorder`, `notes`, `storytext`, `endnotes`, `validated`, `wordcount`, `rating`, `reviews`, `sid`, `uid`, `count`) VALUES
	(1,'Low Tide',1,'','The tide went out at four. Ines climbed the hundred and twelve steps with the oil can.\n\nThe wind had not started yet.',NULL,'1',0,0,0,1,1,0),
	(3,'The Log',3,'','<p>Tomas wrote the log in a small, square hand: <em>lamp lit, all well</em>.</p>','Thank you for reading!','1',0,0,0,1,1,0),
	(2,'High Water',2,'The storm chapter.','By eight the sea was over the causeway. She did not go down.',NULL,'1',0,0,0,1,1,0),
	(4,'The Map',1,'','Every night the coastline moved a finger\'s width to the west.',NULL,'1',0,0,0,2,2,0),
	(5,'Flour',1,'','<p>The oven door <a href=\"javascript:alert(1)\">creaked</a>.</p><svg onload=alert(2)></svg><iframe src=\"https://evil.example\"></iframe><p onclick=\"alert(3)\">Crumbs on the floor.</p>',NULL,'1',0,0,0,3,3,0),
	(6,'Draft',1,'','Not yet.',NULL,'0',0,0,0,5,2,0),
	(7,'Midnight',1,'',NULL,'','1',0,0,0,4,1,0);

CREATE TABLE `fanfiction_coauthors` (
  `sid` int(11) NOT NULL DEFAULT '0',
  `uid` int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (`sid`,`uid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_coauthors` (`sid`, `uid`) VALUES (3,1);

CREATE TABLE `fanfiction_series` (
  `seriesid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT '',
  `summary` text,
  `uid` int(11) NOT NULL DEFAULT '0',
  `isopen` tinyint(4) NOT NULL DEFAULT '0',
  `catid` varchar(200) NOT NULL DEFAULT '0',
  `classes` varchar(200) DEFAULT NULL,
  `rating` tinyint(4) NOT NULL DEFAULT '0',
  `warnings` varchar(250) NOT NULL DEFAULT '',
  `genres` varchar(250) NOT NULL DEFAULT '',
  `characters` varchar(250) NOT NULL DEFAULT '',
  `reviews` smallint(6) NOT NULL DEFAULT '0',
  `challenges` varchar(200) NOT NULL DEFAULT '',
  `numstories` int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (`seriesid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_series` (`seriesid`, `title`, `summary`, `uid`, `isopen`, `catid`, `classes`, `rating`, `warnings`, `genres`, `characters`, `reviews`, `challenges`, `numstories`) VALUES (1,'Keepers of the Light','Two nights at the lighthouse.',1,0,'1','',0,'','','1,2',0,'',2);

CREATE TABLE `fanfiction_inseries` (
  `seriesid` int(11) NOT NULL DEFAULT '0',
  `sid` int(11) NOT NULL DEFAULT '0',
  `subseriesid` int(11) NOT NULL DEFAULT '0',
  `confirmed` int(11) NOT NULL DEFAULT '0',
  `inorder` int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (`sid`,`seriesid`,`subseriesid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_inseries` (`seriesid`, `sid`, `subseriesid`, `confirmed`, `inorder`) VALUES (1,1,0,1,2),(1,4,0,1,1);

/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
